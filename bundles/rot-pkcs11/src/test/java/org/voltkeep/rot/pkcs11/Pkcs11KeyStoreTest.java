package org.voltkeep.rot.pkcs11;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.Collections;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voltkeep.rot.api.Provisioning;
import org.voltkeep.rot.api.RotException;
import org.voltkeep.rot.api.TrustMode;
import org.voltkeep.rot.api.testing.TestPki;

/** The token's keys for signing tools, against a real SoftHSM2 token. */
class Pkcs11KeyStoreTest {

    @TempDir
    Path device;

    @Test
    void aTokenKeySignsInsideTheTokenAndIsNeverReadOut() throws Exception {
        SoftHsm.TestToken token = SoftHsm.freshToken();
        Clock clock = Clock.systemUTC();
        // provisioning generates a non-extractable key with a certificate on the token: a key like a release pipeline's
        new Pkcs11RootOfTrustBackend(token.config(), clock)
                .provision(device, Provisioning.Request.of(TestPki.create("Key Store Test Root", clock).rootPem(), TrustMode.FIELD));

        Pkcs11KeyStore store = Pkcs11KeyStore.open(token.config());

        assertThat(store.description()).contains("slot " + token.slot()).doesNotContain(SoftHsm.USER_PIN);
        assertThat(Collections.list(store.keyStore().aliases())).contains("voltkeep.device");
        PrivateKey key = (PrivateKey) store.keyStore().getKey("voltkeep.device", null);
        assertThat(key.getEncoded()).as("a handle, not the key").isNull();
        byte[] message = "manifest bytes".getBytes(StandardCharsets.UTF_8);
        Signature s = Signature.getInstance("SHA256withECDSA", store.provider());
        s.initSign(key);
        s.update(message);
        byte[] signature = s.sign();
        Signature v = Signature.getInstance("SHA256withECDSA");
        v.initVerify(((X509Certificate) store.keyStore().getCertificate("voltkeep.device")).getPublicKey());
        v.update(message);
        assertThat(v.verify(signature)).isTrue();
    }

    @Test
    void aWrongPinIsRefusedWithoutRevealingIt() throws Exception {
        // A token this process has never logged in to: PKCS#11 login is per process and token.
        SoftHsm.TestToken untouched = SoftHsm.freshToken();

        assertThatThrownBy(() -> Pkcs11KeyStore.open(untouched.config("wrong-pin-9876")))
                .isInstanceOf(RotException.class).hasMessageContaining("refused the PIN").hasMessageNotContaining("wrong-pin-9876");
    }
}
