package org.voltkeep.rot.soft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voltkeep.rot.api.BackendKind;
import org.voltkeep.rot.api.DeviceState;
import org.voltkeep.rot.api.MonotonicCounters;
import org.voltkeep.rot.api.Provisioning;
import org.voltkeep.rot.api.RootOfTrust;
import org.voltkeep.rot.api.RotException;
import org.voltkeep.rot.api.RotRecord;
import org.voltkeep.rot.api.SignatureVerifier;
import org.voltkeep.rot.api.TrustMode;
import org.voltkeep.rot.api.testing.TestPki;
import org.voltkeep.rot.api.testing.TlsLoopback;

class SoftRootOfTrustBackendTest {

    @TempDir
    Path device;

    private final Clock clock = Clock.systemUTC();
    private final SoftRootOfTrustBackend backend = new SoftRootOfTrustBackend(clock);
    private TestPki pki;

    @BeforeEach
    void pki() {
        pki = TestPki.create("Soft Test Root", clock);
    }

    private Provisioning.Result provision(TrustMode mode) throws RotException {
        return backend.provision(device, Provisioning.Request.of(pki.rootPem(), mode));
    }

    @Test
    void provisioningWritesProtectedFilesAndAnsweringCsr() throws Exception {
        assertThat(backend.state(device)).isEqualTo(DeviceState.UNPROVISIONED);

        Provisioning.Result result = provision(TrustMode.FIELD);

        assertThat(backend.state(device)).isEqualTo(DeviceState.PROVISIONED);
        Path rot = device.resolve("rot");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(rot.resolve("anchors.pem")))).isEqualTo("r--r--r--");
        for (String secret : List.of("device.p12", "device.p12.pass", "counters")) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(rot.resolve(secret)))).as(secret).isEqualTo("rw-------");
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(rot))).isEqualTo("rwx------");
        RotRecord record = RotRecord.read(device).orElseThrow();
        assertThat(record.backend()).isEqualTo(BackendKind.SOFT);
        assertThat(record.trustMode()).isEqualTo(TrustMode.FIELD);
        assertThat(record.deviceKeyFingerprint()).isEqualTo(result.deviceKeyFingerprint());

        PKCS10CertificationRequest csr = (PKCS10CertificationRequest) new PEMParser(new StringReader(result.csrPem())).readObject();
        assertThat(csr.isSignatureValid(new JcaContentVerifierProviderBuilder()
                .build(SignatureVerifier.publicKey(csr.getSubjectPublicKeyInfo().getEncoded())))).isTrue();
        assertThat(new X500Principal(csr.getSubject().getEncoded()))
                .isEqualTo(new X500Principal("CN=voltkeep-" + result.deviceKeyFingerprint().substring(0, 16)));
        assertThat(Provisioning.sha256Hex(csr.getSubjectPublicKeyInfo().getEncoded())).isEqualTo(result.deviceKeyFingerprint());
        assertThat(result.backend().description()).contains("soft").contains("development");
    }

    @Test
    void openedRootOfTrustSignsWithTheProvisionedKeyAndSaysItIsSoft() throws Exception {
        Provisioning.Result result = provision(TrustMode.DEVELOPMENT);
        try (RootOfTrust rot = backend.open(device)) {
            assertThat(rot.backend().kind()).isEqualTo(BackendKind.SOFT);
            assertThat(rot.backend().description()).contains("soft").contains("development");
            assertThat(rot.trustMode()).isEqualTo(TrustMode.DEVELOPMENT);
            assertThat(rot.trustAnchors()).containsExactly(pki.rootCertificate());
            assertThat(rot.deviceKeyFingerprint()).isEqualTo(result.deviceKeyFingerprint());
            assertThat(rot.deviceCertificate()).isEmpty();
            byte[] message = "attestation report".getBytes(StandardCharsets.UTF_8);
            byte[] signature = rot.sign(message);
            assertThat(SignatureVerifier.isValid(rot.deviceSignatureAlgorithm(), rot.devicePublicKey(), message, signature)).isTrue();
            assertThat(SignatureVerifier.isValid(rot.deviceSignatureAlgorithm(), rot.devicePublicKey(), "other".getBytes(StandardCharsets.UTF_8), signature)).isFalse();
            assertThat(rot.counters().readAll()).containsEntry(MonotonicCounters.SECURITY_VERSION, 0L).containsEntry(MonotonicCounters.BOOT, 0L);
        }
    }

    @Test
    void reprovisioningRefusesWithoutWipeAndKeepsEverything() throws Exception {
        Provisioning.Result first = provision(TrustMode.FIELD);
        byte[] anchorsBefore = Files.readAllBytes(device.resolve("rot/anchors.pem"));
        try (RootOfTrust rot = backend.open(device)) {
            rot.counters().raiseTo(MonotonicCounters.SECURITY_VERSION, 7);
        }
        TestPki other = TestPki.create("Attacker Root", clock);

        assertThatThrownBy(() -> backend.provision(device, Provisioning.Request.of(other.rootPem(), TrustMode.DEVELOPMENT)))
                .isInstanceOf(RotException.class).hasMessageContaining("already provisioned").hasMessageContaining("wipe");

        assertThat(Files.readAllBytes(device.resolve("rot/anchors.pem"))).isEqualTo(anchorsBefore);
        try (RootOfTrust rot = backend.open(device)) {
            assertThat(rot.deviceKeyFingerprint()).isEqualTo(first.deviceKeyFingerprint());
            assertThat(rot.trustAnchors()).containsExactly(pki.rootCertificate());
            assertThat(rot.counters().read(MonotonicCounters.SECURITY_VERSION)).isEqualTo(7);
        }
    }

    @Test
    void wipeReprovisionsWithNewKeyAnchorsAndZeroCounters() throws Exception {
        Provisioning.Result first = provision(TrustMode.FIELD);
        try (RootOfTrust rot = backend.open(device)) {
            rot.counters().raiseTo(MonotonicCounters.SECURITY_VERSION, 7);
        }
        TestPki next = TestPki.create("Next Root", clock);

        Provisioning.Result second = backend.provision(device, Provisioning.Request.of(next.rootPem(), TrustMode.DEVELOPMENT).withWipe(true));

        assertThat(second.deviceKeyFingerprint()).isNotEqualTo(first.deviceKeyFingerprint());
        try (RootOfTrust rot = backend.open(device)) {
            assertThat(rot.trustAnchors()).containsExactly(next.rootCertificate());
            assertThat(rot.trustMode()).isEqualTo(TrustMode.DEVELOPMENT);
            assertThat(rot.counters().read(MonotonicCounters.SECURITY_VERSION)).isZero();
        }
    }

    @Test
    void badAnchorsAreRefusedBeforeAnythingIsWritten() {
        String leafPem = TestPki.pem(pki.signer("Not A CA").certificate());

        assertThatThrownBy(() -> backend.provision(device, Provisioning.Request.of(leafPem, TrustMode.FIELD)))
                .isInstanceOf(RotException.class).hasMessageContaining("not a CA certificate");

        assertThat(device.resolve("rot")).doesNotExist();
    }

    @Test
    void badAnchorsDoNotWipeAProvisionedDevice() throws Exception {
        Provisioning.Result first = provision(TrustMode.FIELD);

        // a PEM block of the wrong kind (not a key: four bytes); the marker is assembled so
        // that no file of the repository looks as if it held a private key
        String notAnchors = "-----BEGIN " + "PRIVATE KEY-----\nAAAA\n-----END " + "PRIVATE KEY-----\n";
        assertThatThrownBy(() -> backend.provision(device, Provisioning.Request.of(notAnchors, TrustMode.FIELD).withWipe(true)))
                .isInstanceOf(RotException.class).hasMessageContaining("PRIVATE KEY");

        try (RootOfTrust rot = backend.open(device)) {
            assertThat(rot.deviceKeyFingerprint()).isEqualTo(first.deviceKeyFingerprint());
        }
    }

    @Test
    void replacedAnchorsAreDetectedAtOpen() throws Exception {
        provision(TrustMode.FIELD);
        Path anchors = device.resolve("rot/anchors.pem");
        TestPki attacker = TestPki.create("Attacker Root", clock);

        Files.setPosixFilePermissions(anchors, PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> backend.open(device)).isInstanceOf(RotException.class).hasMessageContaining("is writable");

        Files.writeString(anchors, attacker.rootPem());
        Files.setPosixFilePermissions(anchors, PosixFilePermissions.fromString("r--r--r--"));
        assertThatThrownBy(() -> backend.open(device)).isInstanceOf(RotException.class)
                .hasMessageContaining("anchors.pem was changed after provisioning");
    }

    @Test
    void swappedKeyStoreIsDetectedAtOpen() throws Exception {
        provision(TrustMode.FIELD);
        Path other = Files.createTempDirectory(device.getParent(), "other-device");
        backend.provision(other, Provisioning.Request.of(pki.rootPem(), TrustMode.FIELD));
        for (String f : List.of("device.p12", "device.p12.pass")) {
            Files.copy(other.resolve("rot").resolve(f), device.resolve("rot").resolve(f), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }

        assertThatThrownBy(() -> backend.open(device)).isInstanceOf(RotException.class)
                .hasMessageContaining("but the device was provisioned with");
    }

    @Test
    void decommissionWipesKeysAndLeavesAMarker() throws Exception {
        provision(TrustMode.FIELD);

        backend.decommission(device);

        assertThat(backend.state(device)).isEqualTo(DeviceState.DECOMMISSIONED);
        for (String f : List.of("device.p12", "device.p12.pass", "counters", "anchors.pem")) {
            assertThat(device.resolve("rot").resolve(f)).as(f).doesNotExist();
        }
        assertThatThrownBy(() -> backend.open(device)).isInstanceOf(RotException.class).hasMessageContaining("decommissioned");
        assertThatThrownBy(() -> provision(TrustMode.FIELD)).isInstanceOf(RotException.class).hasMessageContaining("wipe");
        backend.decommission(device);
        assertThat(backend.state(device)).isEqualTo(DeviceState.DECOMMISSIONED);

        backend.provision(device, Provisioning.Request.of(pki.rootPem(), TrustMode.FIELD).withWipe(true));
        assertThat(backend.state(device)).isEqualTo(DeviceState.PROVISIONED);
    }

    @Test
    void decommissioningAnUnprovisionedDeviceIsRefused() {
        assertThatThrownBy(() -> backend.decommission(device)).isInstanceOf(RotException.class).hasMessageContaining("not provisioned");
    }

    @Test
    void aDeviceOfAnotherBackendIsNotOpenedNorWiped() throws Exception {
        provision(TrustMode.FIELD);
        RotRecord soft = RotRecord.read(device).orElseThrow();
        new RotRecord(BackendKind.PKCS11, soft.trustMode(), soft.state(), soft.deviceKeyFingerprint(), soft.anchorsSha256(), soft.changedAt()).write(device);

        assertThatThrownBy(() -> backend.open(device)).isInstanceOf(RotException.class).hasMessageContaining("pkcs11");
        assertThatThrownBy(() -> backend.provision(device, Provisioning.Request.of(pki.rootPem(), TrustMode.FIELD).withWipe(true)))
                .isInstanceOf(RotException.class).hasMessageContaining("pkcs11");
        assertThatThrownBy(() -> backend.decommission(device)).isInstanceOf(RotException.class).hasMessageContaining("pkcs11");
    }

    @Test
    void deviceCertificateFromTheCsrIsInstalledAndSurvivesReopen() throws Exception {
        Provisioning.Result result = provision(TrustMode.FIELD);
        X509Certificate issued = pki.issueFromCsr(result.csrPem(), Duration.ofDays(365));
        X509Certificate foreign = pki.leaf("someone else").issue().certificate();

        try (RootOfTrust rot = backend.open(device)) {
            assertThatThrownBy(() -> rot.installDeviceCertificate(List.of(foreign, pki.rootCertificate())))
                    .isInstanceOf(RotException.class).hasMessageContaining("not the device key");
            rot.installDeviceCertificate(List.of(issued, pki.rootCertificate()));
            assertThat(rot.deviceCertificate()).contains(issued);
        }
        try (RootOfTrust rot = backend.open(device)) {
            assertThat(rot.deviceCertificate()).contains(issued);
        }
    }

    @Test
    void deviceKeyAuthenticatesAMutualTlsHandshake() throws Exception {
        Provisioning.Result result = provision(TrustMode.FIELD);
        X509Certificate issued = pki.issueFromCsr(result.csrPem(), Duration.ofDays(365));
        try (RootOfTrust rot = backend.open(device)) {
            rot.installDeviceCertificate(List.of(issued, pki.rootCertificate()));

            TlsLoopback.Handshake handshake = TlsLoopback.handshake(pki, rot.keyManager(), Duration.ofSeconds(20));

            assertThat(handshake.protocol()).isEqualTo("TLSv1.3");
            assertThat(handshake.clientChain().get(0)).isEqualTo(issued);
        }
    }

    @Test
    void closedRootOfTrustRefusesToSign() throws Exception {
        provision(TrustMode.FIELD);
        RootOfTrust rot = backend.open(device);
        rot.close();

        assertThatThrownBy(() -> rot.sign(new byte[] {1})).isInstanceOf(RotException.class).hasMessageContaining("closed");
        assertThatThrownBy(() -> rot.counters().read("boot")).isInstanceOf(RotException.class).hasMessageContaining("closed");
    }

    @Test
    void anUnfinishedProvisioningLeavesTheDeviceUnprovisionedAndCanBeRedone() throws Exception {
        provision(TrustMode.FIELD);
        // A crash before the record was written: material on disk, no commit.
        Files.delete(device.resolve("rot/rot.properties"));
        assertThat(backend.state(device)).isEqualTo(DeviceState.UNPROVISIONED);
        assertThatThrownBy(() -> backend.open(device)).isInstanceOf(RotException.class).hasMessageContaining("not provisioned");

        Provisioning.Result redone = provision(TrustMode.FIELD);

        try (RootOfTrust rot = backend.open(device)) {
            assertThat(rot.deviceKeyFingerprint()).isEqualTo(redone.deviceKeyFingerprint());
        }
    }
}
