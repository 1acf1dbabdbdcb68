package org.voltkeep.rot.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voltkeep.rot.api.spi.AtomicFiles;
import org.voltkeep.rot.api.testing.TestPki;

/** Anchors parsing, PEM, the record file and atomic writes. */
class ProvisioningTest {

    @TempDir
    Path dir;

    private final TestPki pki = TestPki.create();

    @Test
    void anchorsAreCaCertificatesOnlyAndTextBetweenBlocksIsAllowed() throws Exception {
        TestPki second = TestPki.create("Second Root", java.time.Clock.systemUTC());
        String pem = "subject=CN = Voltkeep Test Root\n" + pki.rootPem() + "\n# second\n" + second.rootPem();

        assertThat(Provisioning.parseAnchors(pem)).containsExactly(pki.rootCertificate(), second.rootCertificate());
    }

    @Test
    void badAnchorsFilesAreRefusedWithTheReason() {
        assertThatThrownBy(() -> Provisioning.parseAnchors("")).isInstanceOf(RotException.class).hasMessageContaining("no PEM CERTIFICATE");
        assertThatThrownBy(() -> Provisioning.parseAnchors(TestPki.pem(pki.leaf("leaf").issue().certificate())))
                .isInstanceOf(RotException.class).hasMessageContaining("'CN=leaf' is not a CA certificate");
        assertThatThrownBy(() -> Provisioning.parseAnchors(pki.rootPem() + pki.rootPem()))
                .isInstanceOf(RotException.class).hasMessageContaining("appears twice");
        assertThatThrownBy(() -> Provisioning.parseAnchors(pki.rootPem() + Pem.encode("PRIVATE KEY", new byte[] {1, 2, 3})))
                .isInstanceOf(RotException.class).hasMessageContaining("block 2 is a PRIVATE KEY");
        assertThatThrownBy(() -> Provisioning.parseAnchors(Pem.encode("CERTIFICATE", new byte[] {1, 2, 3})))
                .isInstanceOf(RotException.class).hasMessageContaining("not an X.509 certificate");
        assertThatThrownBy(() -> Provisioning.parseAnchors(pki.rootPem().repeat(17)))
                .isInstanceOf(RotException.class).hasMessageContaining("at most 16");
        assertThatThrownBy(() -> Provisioning.parseAnchors("-----BEGIN CERTIFICATE-----\nAAAA\n"))
                .isInstanceOf(RotException.class).hasMessageContaining("BEGIN lines");
    }

    @Test
    void pemRoundTripsAndRefusesMismatchedEnds() throws Exception {
        byte[] der = pki.rootCertificate().getEncoded();
        assertThat(Pem.decode(Pem.encode("CERTIFICATE", der))).singleElement()
                .satisfies(b -> assertThat(b.der()).isEqualTo(der)).extracting(Pem.Block::type).isEqualTo("CERTIFICATE");
        assertThatThrownBy(() -> Pem.decode("-----BEGIN CERTIFICATE-----\nAAAA\n-----END PRIVATE KEY-----\n"))
                .isInstanceOf(RotException.class).hasMessageContaining("ends with END PRIVATE KEY");
    }

    @Test
    void defaultSubjectCarriesTheFingerprintPrefix() {
        String fingerprint = Provisioning.fingerprint(pki.rootCertificate().getPublicKey());
        assertThat(fingerprint).hasSize(64).matches("[0-9a-f]+");
        assertThat(Provisioning.defaultSubject(fingerprint).getName()).isEqualTo("CN=voltkeep-" + fingerprint.substring(0, 16));
    }

    @Test
    void theRecordRoundTripsAndAMalformedOneIsAnErrorNotUnprovisioned() throws Exception {
        assertThat(RotRecord.read(dir)).isEmpty();
        assertThat(RotRecord.stateOf(dir)).isEqualTo(DeviceState.UNPROVISIONED);
        RotRecord record = new RotRecord(BackendKind.PKCS11, TrustMode.DEVELOPMENT, DeviceState.PROVISIONED, "ab".repeat(32), "cd".repeat(32),
                Instant.parse("2026-11-22T10:00:00Z"));

        record.write(dir);

        assertThat(RotRecord.read(dir)).isEqualTo(Optional.of(record));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(RotRecord.file(dir)))).isEqualTo("rw-r--r--");
        Files.writeString(RotRecord.file(dir), Files.readString(RotRecord.file(dir)).replace("trustMode=development", "trustMode=lenient"));
        assertThatThrownBy(() -> RotRecord.read(dir)).isInstanceOf(RotException.class).hasMessageContaining("lenient");
        Files.writeString(RotRecord.file(dir), "backend=soft\n");
        assertThatThrownBy(() -> RotRecord.stateOf(dir)).isInstanceOf(RotException.class).hasMessageContaining("has keys [backend]");
    }

    @Test
    void atomicWritesReplaceWholeFilesAndLeaveNoTemporaries() throws Exception {
        Path target = dir.resolve("boot-floor");
        AtomicFiles.write(target, "one".getBytes(), PosixFilePermissions.fromString("rw-------"));
        AtomicFiles.write(target, "two".getBytes(), PosixFilePermissions.fromString("r--r--r--"));

        assertThat(target).hasContent("two");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target))).isEqualTo("r--r--r--");
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("boot-floor");
        }
    }
}
