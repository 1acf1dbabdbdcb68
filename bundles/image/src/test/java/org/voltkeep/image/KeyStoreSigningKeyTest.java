package org.voltkeep.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voltkeep.rot.api.Zone;

/** Chains for token keys whose token holds only a placeholder certificate. */
class KeyStoreSigningKeyTest {
    @TempDir
    static Path dir;
    static Fixture fx;

    @BeforeAll
    static void pki() throws Exception {
        fx = new Fixture(dir);
    }

    /** The dev image signer's key as a token shows it after keytool -genkeypair: with its own certificate alone. */
    private static KeyStoreSigningKey alone() throws Exception {
        SigningKey k = fx.pki.imageSigner();
        return new KeyStoreSigningKey(k.privateKey(), List.of(k.certificate()), null, "token#image-signer");
    }

    @Test
    void theChainIsTheKeysCertificateAndItsIssuersWithoutTheRoot() throws Exception {
        SigningKey full = fx.pki.imageSigner();
        X509Certificate leaf = full.chain().get(0);
        X509Certificate ca = full.chain().get(1);
        X509Certificate other = fx.pki.codeSigner(Zone.CORE).certificate();

        KeyStoreSigningKey k = alone().withChainFrom(List.of(fx.pki.root(), other, ca, leaf), "chain.pem");

        assertThat(k.chain()).containsExactly(leaf, ca);
        assertThat(k.privateKey()).isEqualTo(full.privateKey());
        assertThat(k.describe()).contains("token#image-signer").contains("chain.pem");
        // and the manifest it signs verifies as the dev image signer's would
        ImageForge f = ImageForge.of(fx.imageBytes);
        f.signRaw(f.get(ImageFormat.MANIFEST), k, fx.clock);
        assertThat(ImageVerifier.verify(f.zip(), fx.policy()).imageSignerSubject()).isEqualTo(leaf.getSubjectX500Principal().getName());
    }

    @Test
    void aFileWithoutTheKeysCertificateOrWithTwoIsRefused() throws Exception {
        X509Certificate ca = fx.pki.imageSigner().chain().get(1);
        assertThatThrownBy(() -> alone().withChainFrom(List.of(ca, fx.pki.root()), "chain.pem"))
                .isInstanceOf(GeneralSecurityException.class).hasMessageContaining("chain.pem holds no certificate for the key token#image-signer");

        X509Certificate renewed = fx.pki.certify(fx.pki.imageSigner().certificate().getPublicKey(), SignerProfile.imageSigner(fx.clock)).get(0);
        assertThatThrownBy(() -> alone().withChainFrom(List.of(fx.pki.imageSigner().certificate(), renewed, ca), "chain.pem"))
                .isInstanceOf(GeneralSecurityException.class).hasMessageContaining("2 certificates for the key");
    }
}
