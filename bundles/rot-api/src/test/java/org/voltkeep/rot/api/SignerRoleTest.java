package org.voltkeep.rot.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.cert.X509Certificate;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.voltkeep.rot.api.testing.TestPki;

class SignerRoleTest {

    private final TestPki pki = TestPki.create();

    @Test
    void oidsLiveUnderThePrivateArcAndAreDistinct() {
        assertThat(SignerRole.IMAGE_SIGNER.oid()).isEqualTo("2.25.218966376347112154631236549498478611633.1");
        assertThat(SignerRole.DEVELOPER.oid()).isEqualTo("2.25.218966376347112154631236549498478611633.5");
        assertThat(SignerRole.values()).extracting(SignerRole::oid).doesNotHaveDuplicates();
        for (SignerRole r : SignerRole.values()) {
            assertThat(SignerRole.forOid(r.oid())).contains(r);
        }
        assertThat(SignerRole.forOid(SignerRole.ARC + ".6")).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Zone.class)
    void aZoneSignerSignsItsZoneOnly(Zone zone) throws Exception {
        X509Certificate cert = pki.signer(zone.id() + " signer", SignerRole.codeSignerFor(zone)).certificate();

        assertThat(SignerRole.rolesOf(cert)).containsExactly(SignerRole.codeSignerFor(zone));
        assertThat(SignerRole.codeSignerFor(zone).zone()).contains(zone);
        for (Zone other : Zone.values()) {
            for (TrustMode mode : TrustMode.values()) {
                if (other == zone) {
                    assertThat(SignerRole.requireCodeSigner(cert, other, mode)).isEqualTo(SignerRole.codeSignerFor(zone));
                } else {
                    assertThatThrownBy(() -> SignerRole.requireCodeSigner(cert, other, mode))
                            .isInstanceOf(RotException.class).hasMessageContaining("may not sign code for zone " + other.id());
                }
            }
        }
        assertThatThrownBy(() -> SignerRole.requireImageSigner(cert, TrustMode.DEVELOPMENT)).isInstanceOf(RotException.class);
    }

    @Test
    void theDeveloperRoleCountsOnlyInDevelopmentTrust() throws Exception {
        X509Certificate dev = pki.signer("developer", SignerRole.DEVELOPER).certificate();

        for (Zone zone : Zone.values()) {
            assertThat(SignerRole.requireCodeSigner(dev, zone, TrustMode.DEVELOPMENT)).isEqualTo(SignerRole.DEVELOPER);
            assertThatThrownBy(() -> SignerRole.requireCodeSigner(dev, zone, TrustMode.FIELD))
                    .isInstanceOf(RotException.class).hasMessageContaining("developer role needs development trust mode");
        }
        assertThat(SignerRole.requireImageSigner(dev, TrustMode.DEVELOPMENT)).isEqualTo(SignerRole.DEVELOPER);
        assertThatThrownBy(() -> SignerRole.requireImageSigner(dev, TrustMode.FIELD)).isInstanceOf(RotException.class);
    }

    @Test
    void theImageSignerSignsImagesButNoCode() throws Exception {
        X509Certificate image = pki.leaf("image signer").roles(SignerRole.IMAGE_SIGNER).issue().certificate();

        assertThat(SignerRole.requireImageSigner(image, TrustMode.FIELD)).isEqualTo(SignerRole.IMAGE_SIGNER);
        assertThatThrownBy(() -> SignerRole.requireCodeSigner(image, Zone.CORE, TrustMode.DEVELOPMENT))
                .isInstanceOf(RotException.class).hasMessageContaining("codeSigning");
    }

    @Test
    void keyUsageAndCodeSigningAreRequired() {
        X509Certificate noDigitalSignature = pki.leaf("encipher only").keyUsage(KeyUsage.keyEncipherment)
                .roles(SignerRole.CODE_CORE).codeSigning(true).issue().certificate();
        X509Certificate noCodeSigning = pki.leaf("no eku").roles(SignerRole.CODE_CORE).issue().certificate();

        assertThatThrownBy(() -> SignerRole.requireCodeSigner(noDigitalSignature, Zone.CORE, TrustMode.FIELD))
                .isInstanceOf(RotException.class).hasMessageContaining("digitalSignature");
        assertThatThrownBy(() -> SignerRole.requireCodeSigner(noCodeSigning, Zone.CORE, TrustMode.FIELD))
                .isInstanceOf(RotException.class).hasMessageContaining("codeSigning");
    }

    @Test
    void zonesAndModesParseTheirIdsAndNameBadInput() {
        assertThat(Zone.of("network")).isEqualTo(Zone.NETWORK);
        assertThat(TrustMode.of("development")).isEqualTo(TrustMode.DEVELOPMENT);
        assertThat(BackendKind.of("pkcs11")).isEqualTo(BackendKind.PKCS11);
        assertThatThrownBy(() -> Zone.of("Safety")).hasMessageContaining("'Safety'");
        assertThatThrownBy(() -> TrustMode.of("dev")).hasMessageContaining("'dev'");
    }
}
