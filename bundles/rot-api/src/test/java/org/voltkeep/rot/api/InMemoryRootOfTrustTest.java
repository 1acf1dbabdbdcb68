package org.voltkeep.rot.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.voltkeep.rot.api.testing.InMemoryRootOfTrust;
import org.voltkeep.rot.api.testing.TestPki;
import org.voltkeep.rot.api.testing.TlsLoopback;

/** The shipped fake keeps the contract's invariants, so consumers' tests can trust it. */
class InMemoryRootOfTrustTest {

    private final TestPki pki = TestPki.create();

    @Test
    void keepsTheContract() throws Exception {
        try (InMemoryRootOfTrust rot = new InMemoryRootOfTrust(List.of(pki.rootCertificate()), TrustMode.DEVELOPMENT, Clock.systemUTC())) {
            assertThat(rot.backend().description()).contains("soft").contains("development");
            assertThat(rot.trustAnchors()).containsExactly(pki.rootCertificate());
            assertThatThrownBy(() -> rot.trustAnchors().add(pki.rootCertificate())).isInstanceOf(UnsupportedOperationException.class);
            byte[] signature = rot.sign(new byte[] {1, 2, 3});
            assertThat(SignatureVerifier.isValid(rot.deviceSignatureAlgorithm(), rot.devicePublicKey(), new byte[] {1, 2, 3}, signature)).isTrue();
            assertThat(rot.counters().raiseTo("floor", 3)).isEqualTo(3);
            assertThat(rot.counters().raiseTo("floor", 1)).isEqualTo(3);

            var cert = pki.issueFromCsr(rot.certificateSigningRequest(Provisioning.defaultSubject(rot.deviceKeyFingerprint())), Duration.ofDays(1));
            rot.installDeviceCertificate(List.of(cert, pki.rootCertificate()));
            assertThat(TlsLoopback.handshake(pki, rot.keyManager(), Duration.ofSeconds(20)).clientChain().get(0)).isEqualTo(cert);
        }
    }
}
