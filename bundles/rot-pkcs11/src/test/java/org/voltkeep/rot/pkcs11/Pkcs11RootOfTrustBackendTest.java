package org.voltkeep.rot.pkcs11;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECPrivateKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.X509KeyManager;
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

/** Against a real SoftHSM2 token per test. */
class Pkcs11RootOfTrustBackendTest {

    @TempDir
    Path device;

    private final Clock clock = Clock.systemUTC();
    private SoftHsm.TestToken token;
    private Pkcs11RootOfTrustBackend backend;
    private TestPki pki;

    @BeforeEach
    void token() throws Exception {
        token = SoftHsm.freshToken();
        backend = new Pkcs11RootOfTrustBackend(token.config(), clock);
        pki = TestPki.create("PKCS11 Test Root", clock);
    }

    private Provisioning.Result provision(TrustMode mode) throws RotException {
        return backend.provision(device, Provisioning.Request.of(pki.rootPem(), mode));
    }

    @Test
    void provisioningGeneratesTheKeyInsideTheTokenAndReturnsACsr() throws Exception {
        Provisioning.Result result = provision(TrustMode.FIELD);

        assertThat(backend.state(device)).isEqualTo(DeviceState.PROVISIONED);
        assertThat(RotRecord.read(device).orElseThrow().backend()).isEqualTo(BackendKind.PKCS11);
        String anchorsSha = Provisioning.sha256Hex(Files.readAllBytes(device.resolve("rot/anchors.pem")));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(device.resolve("rot/anchors.pem")))).isEqualTo("r--r--r--");
        assertThat(token.voltkeepObjects()).containsExactlyInAnyOrder(
                "voltkeep.device", "voltkeep.anchors." + anchorsSha, "voltkeep.trust.field",
                "voltkeep.ctr.security-version.0", "voltkeep.ctr.boot.0");
        assertThat(device.resolve("rot")).isDirectoryNotContaining(p -> p.getFileName().toString().endsWith(".p12"));

        PKCS10CertificationRequest csr = (PKCS10CertificationRequest) new PEMParser(new StringReader(result.csrPem())).readObject();
        assertThat(csr.isSignatureValid(new JcaContentVerifierProviderBuilder()
                .build(SignatureVerifier.publicKey(csr.getSubjectPublicKeyInfo().getEncoded())))).isTrue();
        assertThat(new X500Principal(csr.getSubject().getEncoded()))
                .isEqualTo(new X500Principal("CN=voltkeep-" + result.deviceKeyFingerprint().substring(0, 16)));
        assertThat(result.backend().kind()).isEqualTo(BackendKind.PKCS11);
        assertThat(result.backend().description()).contains("slot " + token.slot()).contains("not extractable");
    }

    @Test
    void theDeviceKeyIsSensitiveAndNeverExtractable() throws Exception {
        provision(TrustMode.FIELD);

        try (RootOfTrust rot = backend.open(device)) {
            X509KeyManager keys = rot.keyManager();
            String alias = keys.chooseClientAlias(new String[] {"EC"}, null, null);
            PrivateKey key = keys.getPrivateKey(alias);

            assertThat(key).isNotNull();
            assertThat(key.getEncoded()).as("encoded private key").isNull();
            // The token's own provider (registered for TLS by keyManager()) will not export it either.
            java.security.Provider tokenProvider = java.util.Arrays.stream(java.security.Security.getProviders())
                    .filter(p -> p.getName().startsWith("SunPKCS11-voltkeep-")).findFirst().orElseThrow();
            assertThatThrownBy(() -> KeyFactory.getInstance("EC", tokenProvider).getKeySpec(key, ECPrivateKeySpec.class))
                    .isInstanceOf(java.security.spec.InvalidKeySpecException.class);
            KeyStore file = KeyStore.getInstance("PKCS12");
            file.load(null, null);
            assertThatThrownBy(() -> file.setKeyEntry("stolen", key, "x".toCharArray(), new java.security.cert.Certificate[] {keys.getCertificateChain(alias)[0]}))
                    .isInstanceOf(java.security.KeyStoreException.class);
        }
        // And from OpenSC's point of view, not the JDK's: the attributes of the object in the token
        // (SunPKCS11 names a key entry's private key by CKA_ID, the hex of its alias).
        String deviceId = java.util.HexFormat.of().formatHex("voltkeep.device".getBytes(StandardCharsets.UTF_8));
        List<String> privateKeys = java.util.Arrays.stream(token.listObjects().split("\n(?=\\S)"))
                .filter(o -> o.startsWith("Private Key Object") && o.contains("ID:         " + deviceId)).toList();
        assertThat(privateKeys).hasSize(1);
        assertThat(privateKeys.get(0)).contains("sensitive").contains("always sensitive").contains("never extractable")
                .contains("local").doesNotContain("decrypt").doesNotContain("unwrap").doesNotContain("derive");
    }

    @Test
    void theTokenSignsAnAttestationThatVerifiesWithTheDeviceKey() throws Exception {
        Provisioning.Result result = provision(TrustMode.DEVELOPMENT);
        byte[] report = ("{\"slot\":\"a\",\"nonce\":\"00ff\",\"rot\":\"pkcs11\"}").getBytes(StandardCharsets.UTF_8);

        try (RootOfTrust rot = backend.open(device)) {
            byte[] signature = rot.sign(report);

            assertThat(rot.deviceKeyFingerprint()).isEqualTo(result.deviceKeyFingerprint());
            assertThat(rot.trustMode()).isEqualTo(TrustMode.DEVELOPMENT);
            assertThat(SignatureVerifier.isValid(rot.deviceSignatureAlgorithm(), rot.devicePublicKey(), report, signature)).isTrue();
            report[0] ^= 1;
            assertThat(SignatureVerifier.isValid(rot.deviceSignatureAlgorithm(), rot.devicePublicKey(), report, signature)).isFalse();
        }
    }

    @Test
    void mutualTlsWithTheTokenKey() throws Exception {
        Provisioning.Result result = provision(TrustMode.FIELD);
        X509Certificate issued = pki.issueFromCsr(result.csrPem(), Duration.ofDays(365));

        try (RootOfTrust rot = backend.open(device)) {
            rot.installDeviceCertificate(List.of(issued, pki.rootCertificate()));
            assertThat(rot.deviceCertificate()).contains(issued);

            TlsLoopback.Handshake handshake = TlsLoopback.handshake(pki, rot.keyManager(), Duration.ofSeconds(30));

            assertThat(handshake.clientChain().get(0)).isEqualTo(issued);
        }
        try (RootOfTrust rot = backend.open(device)) {
            assertThat(rot.deviceCertificate()).as("installed certificate lives in the token").contains(issued);
        }
    }

    @Test
    void reprovisioningRefusesWithoutWipeEvenWhenTheRecordFileIsGone() throws Exception {
        Provisioning.Result first = provision(TrustMode.FIELD);
        TestPki attacker = TestPki.create("Attacker Root", clock);

        assertThatThrownBy(() -> backend.provision(device, Provisioning.Request.of(attacker.rootPem(), TrustMode.DEVELOPMENT)))
                .isInstanceOf(RotException.class).hasMessageContaining("re-provisioning needs wipe");
        Files.delete(device.resolve("rot/rot.properties"));
        assertThatThrownBy(() -> backend.provision(device, Provisioning.Request.of(attacker.rootPem(), TrustMode.DEVELOPMENT)))
                .isInstanceOf(RotException.class).hasMessageContaining("already holds Voltkeep objects");

        assertThat(token.voltkeepObjects()).contains("voltkeep.device", "voltkeep.trust.field");
        Provisioning.Result second = backend.provision(device, Provisioning.Request.of(attacker.rootPem(), TrustMode.DEVELOPMENT).withWipe(true));
        assertThat(second.deviceKeyFingerprint()).isNotEqualTo(first.deviceKeyFingerprint());
        assertThat(token.voltkeepObjects()).contains("voltkeep.trust.development").doesNotContain("voltkeep.trust.field");
    }

    @Test
    void countersNeverGoDownAndLiveInTheToken() throws Exception {
        provision(TrustMode.FIELD);
        try (RootOfTrust rot = backend.open(device)) {
            MonotonicCounters c = rot.counters();
            assertThat(c.raiseTo(MonotonicCounters.SECURITY_VERSION, 3)).isEqualTo(3);
            assertThat(c.raiseTo(MonotonicCounters.SECURITY_VERSION, 2)).isEqualTo(3);
            assertThat(c.increment(MonotonicCounters.BOOT)).isEqualTo(1);
        }
        assertThat(token.voltkeepObjects()).contains("voltkeep.ctr.security-version.3", "voltkeep.ctr.boot.1")
                .doesNotContain("voltkeep.ctr.security-version.0", "voltkeep.ctr.boot.0");
        try (RootOfTrust rot = backend.open(device)) {
            assertThat(rot.counters().readAll()).containsEntry(MonotonicCounters.SECURITY_VERSION, 3L).containsEntry(MonotonicCounters.BOOT, 1L);
        }
    }

    @Test
    void aCrashBetweenCreatingTheNewValueAndDeletingTheOldNeverLowersTheCounter() throws Exception {
        provision(TrustMode.FIELD);
        try (RootOfTrust rot = backend.open(device)) {
            rot.counters().raiseTo(MonotonicCounters.SECURITY_VERSION, 4);
        }
        // What an interrupted raise to 9 leaves: the new object made, the old one not yet deleted.
        try (org.voltkeep.rot.pkcs11.internal.Token raw = org.voltkeep.rot.pkcs11.internal.Token.open(token.config(),
                new org.voltkeep.rot.pkcs11.internal.TokenLabels())) {
            raw.createMarker("voltkeep.ctr.security-version.9");
        }
        assertThat(token.voltkeepObjects()).contains("voltkeep.ctr.security-version.4", "voltkeep.ctr.security-version.9");

        try (RootOfTrust rot = backend.open(device)) {
            assertThat(rot.counters().read(MonotonicCounters.SECURITY_VERSION)).isEqualTo(9);
            assertThat(rot.counters().raiseTo(MonotonicCounters.SECURITY_VERSION, 10)).isEqualTo(10);
        }
        assertThat(token.voltkeepObjects()).filteredOn(a -> a.startsWith("voltkeep.ctr.security-version."))
                .containsExactly("voltkeep.ctr.security-version.10");
    }

    @Test
    void aSwappedAnchorsFileOrAnEditedTrustModeIsDetected() throws Exception {
        provision(TrustMode.FIELD);
        Path anchors = device.resolve("rot/anchors.pem");
        Files.setPosixFilePermissions(anchors, PosixFilePermissions.fromString("rw-r--r--"));
        Files.writeString(anchors, TestPki.create("Attacker Root", clock).rootPem());
        Files.setPosixFilePermissions(anchors, PosixFilePermissions.fromString("r--r--r--"));

        assertThatThrownBy(() -> backend.open(device)).isInstanceOf(RotException.class)
                .hasMessageContaining("does not match the anchors fingerprint stored in");

        Files.setPosixFilePermissions(anchors, PosixFilePermissions.fromString("rw-r--r--"));
        Files.writeString(anchors, pki.rootPem());
        Files.setPosixFilePermissions(anchors, PosixFilePermissions.fromString("r--r--r--"));
        RotRecord record = RotRecord.read(device).orElseThrow();
        new RotRecord(record.backend(), TrustMode.DEVELOPMENT, record.state(), record.deviceKeyFingerprint(), record.anchorsSha256(),
                record.changedAt()).write(device);

        assertThatThrownBy(() -> backend.open(device)).isInstanceOf(RotException.class)
                .hasMessageContaining("says development trust").hasMessageContaining("provisioned for field trust");
    }

    @Test
    void decommissionDeletesTheTokenObjectsAndLeavesAMarker() throws Exception {
        provision(TrustMode.FIELD);

        backend.decommission(device);

        assertThat(token.voltkeepObjects()).isEmpty();
        assertThat(token.listObjects()).doesNotContain("voltkeep.device");
        assertThat(backend.state(device)).isEqualTo(DeviceState.DECOMMISSIONED);
        assertThat(device.resolve("rot/anchors.pem")).doesNotExist();
        assertThatThrownBy(() -> backend.open(device)).isInstanceOf(RotException.class).hasMessageContaining("decommissioned");
        assertThatThrownBy(() -> provision(TrustMode.FIELD)).isInstanceOf(RotException.class).hasMessageContaining("wipe");
        backend.decommission(device);
    }

    @Test
    void aTokenLabelIsResolvedToItsSlot() throws Exception {
        Pkcs11Config byLabel = new Pkcs11Config(SoftHsm.LIBRARY, new Pkcs11Config.TokenLabel(token.label()), SoftHsm.USER_PIN.toCharArray());
        Pkcs11RootOfTrustBackend labelled = new Pkcs11RootOfTrustBackend(byLabel, clock);

        labelled.provision(device, Provisioning.Request.of(pki.rootPem(), TrustMode.FIELD));

        try (RootOfTrust rot = labelled.open(device)) {
            assertThat(rot.backend().description()).contains("slot " + token.slot());
        }
        Pkcs11Config unknown = new Pkcs11Config(SoftHsm.LIBRARY, new Pkcs11Config.TokenLabel("no-such-token"), SoftHsm.USER_PIN.toCharArray());
        assertThatThrownBy(() -> new Pkcs11RootOfTrustBackend(unknown, clock).open(device))
                .isInstanceOf(RotException.class).hasMessageContaining("no token labelled 'no-such-token'");
    }

    @Test
    void aWrongPinIsRefusedWithoutRevealingIt() throws Exception {
        // A token this process has never logged in to: PKCS#11 login is per process and token.
        SoftHsm.TestToken untouched = SoftHsm.freshToken();
        Pkcs11RootOfTrustBackend wrong = new Pkcs11RootOfTrustBackend(untouched.config("wrong-pin-1234"), clock);

        assertThatThrownBy(() -> wrong.provision(device, Provisioning.Request.of(pki.rootPem(), TrustMode.FIELD)))
                .isInstanceOf(RotException.class).hasMessageContaining("refused the PIN").hasMessageNotContaining("wrong-pin-1234");
        assertThat(device.resolve("rot/rot.properties")).doesNotExist();
    }

    @Test
    void aMissingSlotIsReportedClearly() {
        Pkcs11Config nowhere = new Pkcs11Config(SoftHsm.LIBRARY, new Pkcs11Config.Slot(987654321L), SoftHsm.USER_PIN.toCharArray());

        assertThatThrownBy(() -> new Pkcs11RootOfTrustBackend(nowhere, clock).provision(device, Provisioning.Request.of(pki.rootPem(), TrustMode.FIELD)))
                .isInstanceOf(RotException.class).hasMessageContaining("slot 987654321").hasMessageContaining("CKR_SLOT_ID_INVALID");
    }
}
