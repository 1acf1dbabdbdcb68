package org.voltkeep.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voltkeep.rot.api.SignerRole;
import org.voltkeep.rot.api.Zone;

class DevPkiTest {
    static final Instant NOW = Instant.parse("2026-11-22T08:00:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    @TempDir
    static Path dir;
    static DevPki pki;

    @BeforeAll
    static void generate() throws Exception {
        pki = DevPki.generate(dir.resolve("pki"), CLOCK);
    }

    @Test
    void writesKeyStorePasswordAndAnchorsAndNothingElse() throws Exception {
        try (var files = Files.list(pki.dir())) {
            assertThat(files.map(p -> p.getFileName().toString()).toList())
                    .containsExactlyInAnyOrder(DevPki.KEYSTORE_FILE, DevPki.PASSWORD_FILE, DevPki.ANCHORS_FILE);
        }
        assertThat(Files.getPosixFilePermissions(pki.dir().resolve(DevPki.PASSWORD_FILE)))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        assertThat(DevPki.readCertificates(pki.anchorsFile())).containsExactly(pki.root());
        assertThat(Files.readString(pki.anchorsFile())).startsWith("-----BEGIN CERTIFICATE-----\n");
    }

    @Test
    void everySignerHasItsRoleKeyUsageAndValidity() throws Exception {
        for (Zone z : Zone.values()) {
            X509Certificate c = pki.codeSigner(z).certificate();
            assertThat(SignerRole.rolesOf(c)).containsExactly(SignerRole.codeSignerFor(z));
            assertThat(c.getExtendedKeyUsage()).contains(SignerRole.CODE_SIGNING_EKU, SignerRole.codeSignerFor(z).oid());
            assertThat(c.getKeyUsage()[0]).as("digitalSignature").isTrue();
            assertThat(c.getNotBefore().toInstant()).isEqualTo(NOW.minus(Duration.ofDays(1)));
            assertThat(c.getNotAfter().toInstant()).isEqualTo(NOW.plus(Duration.ofDays(730)));
            assertThat(((ECPublicKey) c.getPublicKey()).getParams().getCurve().getField().getFieldSize()).isEqualTo(256);
            assertThat(c.getSigAlgName()).isEqualTo("SHA256withECDSA");
        }
        assertThat(SignerRole.rolesOf(pki.imageSigner().certificate())).containsExactly(SignerRole.IMAGE_SIGNER);
        assertThat(SignerRole.rolesOf(pki.developer().certificate())).containsExactly(SignerRole.DEVELOPER);
    }

    @Test
    void chainsRunThroughTheSigningCaToTheRootWhichTheyExclude() throws Exception {
        List<X509Certificate> chain = pki.codeSigner(Zone.CORE).chain();
        assertThat(chain).hasSize(2);
        assertThat(chain.get(1).getSubjectX500Principal().getName()).contains("Voltkeep Development Signing CA");
        assertThat(chain.get(1).getIssuerX500Principal()).isEqualTo(pki.root().getSubjectX500Principal());
        assertThat(chain).doesNotContain(pki.root());
        assertThat(pki.root().getBasicConstraints()).isEqualTo(1);
        chain.get(0).verify(chain.get(1).getPublicKey());
        chain.get(1).verify(pki.root().getPublicKey());
    }

    @Test
    void reopensWhatItGenerated() throws Exception {
        DevPki again = DevPki.open(pki.dir());
        assertThat(again.root()).isEqualTo(pki.root());
        assertThat(again.imageSigner().certificate()).isEqualTo(pki.imageSigner().certificate());
        assertThat(DevPki.openOrGenerate(pki.dir(), CLOCK).root()).isEqualTo(pki.root());
        assertThatThrownBy(() -> DevPki.generate(pki.dir(), CLOCK)).isInstanceOf(FileAlreadyExistsException.class);
    }

    @Test
    void brokenVariantsAreBrokenInTheWayTheySay() throws Exception {
        SignerProfile core = SignerProfile.codeSigner(Zone.CORE, CLOCK);
        X509Certificate expired = pki.issue("t-expired", core.withValidity(NOW.minus(Duration.ofDays(10)), NOW.minus(Duration.ofDays(1))))
                .certificate();
        assertThat(expired.getNotAfter().toInstant()).isBefore(NOW);
        X509Certificate noKu = pki.issue("t-noku", core.withoutDigitalSignature()).certificate();
        assertThat(noKu.getKeyUsage()[0]).isFalse();
        X509Certificate noEku = pki.issue("t-noeku", core.withoutCodeSigningUsage()).certificate();
        assertThat(noEku.getExtendedKeyUsage()).doesNotContain(SignerRole.CODE_SIGNING_EKU);
        SigningKey untrusted = pki.issueUntrusted("t-untrusted", core);
        assertThat(untrusted.chain()).hasSize(1);
        assertThat(untrusted.certificate().getIssuerX500Principal()).isNotEqualTo(pki.root().getSubjectX500Principal());
        // issued keys survive a reopen
        assertThat(DevPki.open(pki.dir()).key("t-noku").certificate()).isEqualTo(noKu);
    }

    @Test
    void keysLoadFromThePkcs12FileAsAnyPipelineWould() throws Exception {
        KeyStoreSigningKey k = KeyStoreSigningKey.pkcs12(pki.keyStoreFile(), pki.password(), DevPki.IMAGE_SIGNER_ALIAS);
        assertThat(k.certificate()).isEqualTo(pki.imageSigner().certificate());
        assertThat(k.chain()).hasSize(2);
        assertThat(k.provider()).isEmpty();
        assertThat(k.describe()).contains("dev-pki.p12#image-signer");
    }
}
