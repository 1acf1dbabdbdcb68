package org.voltkeep.attestation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.AuthProvider;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.Provider;
import java.security.Security;
import java.security.spec.ECGenParameterSpec;
import java.util.Comparator;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.voltkeep.attestation.AttestationVerdict.Outcome;
import org.voltkeep.rot.api.SignatureVerifier;

/**
 * Signs a report with an EC key generated inside a real SoftHSM2 token (through
 * the JDK's SunPKCS11 provider) and verifies it with the public key alone.
 *
 * <p>SoftHSM2 reads {@code SOFTHSM2_CONF} from the environment when the library
 * loads; the build points it at {@code target/softhsm/softhsm2.conf}, which this
 * test writes, with a token directory of its own, before anything loads the library.
 */
class Pkcs11AttestationTest {
    private static final Path LIBRARY = Path.of("/usr/lib/softhsm/libsofthsm2.so");
    private static final String PIN = "4711-user";

    private static AuthProvider token;

    @BeforeAll
    static void initialiseToken() throws Exception {
        String conf = System.getenv("SOFTHSM2_CONF");
        assertThat(conf).as("SOFTHSM2_CONF is set by the build (surefire environmentVariables)").isNotBlank();
        assertThat(LIBRARY).as("SoftHSM2 is installed (Debian package softhsm2)").exists();
        Path dir = Path.of(conf).getParent();
        deleteTree(dir);
        Path tokens = Files.createDirectories(dir.resolve("tokens"));
        Files.writeString(Path.of(conf), "directories.tokendir = " + tokens + "\nobjectstore.backend = file\nlog.level = ERROR\n",
                StandardCharsets.UTF_8);
        Process init = new ProcessBuilder("softhsm2-util", "--init-token", "--free", "--label", "voltkeep-attestation-test",
                "--so-pin", "4711-so", "--pin", PIN)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("init.out").toFile())
                .start();
        assertThat(init.waitFor(60, TimeUnit.SECONDS)).as("softhsm2-util ended").isTrue();
        assertThat(init.exitValue()).as("softhsm2-util: " + Files.readString(dir.resolve("init.out"))).isZero();

        // configured but not registered: no global provider list changes for other code in this JVM
        token = (AuthProvider) Security.getProvider("SunPKCS11")
                .configure("--name=VoltkeepAttestationTest\nlibrary=" + LIBRARY + "\nslotListIndex=0\n");
        KeyStore.getInstance("PKCS11", token).load(null, PIN.toCharArray());
    }

    @AfterAll
    static void logout() throws Exception {
        if (token != null) {
            token.logout();
        }
    }

    @Test
    void aReportSignedInsideTheTokenVerifiesWithThePublicKeyAlone() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC", token);
        g.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair inToken = g.generateKeyPair();
        assertThat(inToken.getPrivate().getEncoded()).as("the private key never leaves the token").isNull();
        assertThat(inToken.getPrivate().getClass().getName()).contains("P11Key");

        ReportSigner signer = ReportSigner.ofKey(inToken.getPrivate(), inToken.getPublic(), "SHA256withECDSA", token);
        String text = SignedAttestation.sign(Fixtures.report(inToken.getPublic()).build(), signer).toText();

        // the relying party has only the public key's bytes
        var publicKey = SignatureVerifier.publicKey(inToken.getPublic().getEncoded());
        AttestationVerdict v = AttestationVerifier.verify(text, publicKey, Optional.of(Fixtures.NONCE));
        assertThat(v.outcome()).as(v.message()).isEqualTo(Outcome.VALID);
        assertThat(AttestationVerifier.verify(text.replace("\"slot\": \"a\"", "\"slot\": \"b\""), publicKey,
                Optional.of(Fixtures.NONCE)).outcome()).isEqualTo(Outcome.SIGNATURE_MISMATCH);
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }
}
