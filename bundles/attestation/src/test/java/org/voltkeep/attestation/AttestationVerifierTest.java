package org.voltkeep.attestation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.SignatureException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import org.bouncycastle.asn1.x509.KeyUsage;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.voltkeep.attestation.AttestationVerdict.Outcome;
import org.voltkeep.json.Json;
import org.voltkeep.rot.api.BackendKind;
import org.voltkeep.rot.api.Provisioning;
import org.voltkeep.rot.api.TrustMode;

class AttestationVerifierTest {
    KeyPair device;
    AttestationReport report;
    String signedText;

    @BeforeEach
    void setUp() throws Exception {
        device = Fixtures.ecKey();
        report = Fixtures.report(device.getPublic()).build();
        signedText = SignedAttestation.sign(report, ReportSigner.ofKey(device.getPrivate(), device.getPublic())).toText();
    }

    private AttestationVerdict verify(String text) {
        return AttestationVerifier.verify(text, device.getPublic(), Optional.of(Fixtures.NONCE));
    }

    /** The signed text with one change made to its parsed JSON. */
    private String changed(Consumer<Json.Obj> change) {
        Json.Obj o = Json.parseObject(signedText);
        change.accept(o);
        return o.writePretty();
    }

    @Test
    void aReportSignedWithTheDeviceKeyVerifies() {
        AttestationVerdict v = verify(signedText);

        assertThat(v.outcome()).as(v.message()).isEqualTo(Outcome.VALID);
        assertThat(v.ok()).isTrue();
        assertThat(v.report()).contains(report);
        assertThat(v.message()).contains(Provisioning.fingerprint(device.getPublic()));
    }

    @Test
    void theEnvelopeHasReportSignatureAndPublicKey() {
        Json.Obj o = Json.parseObject(signedText);

        assertThat(o.members().keySet()).containsExactly("report", "signature", "publicKey");
        assertThat(o.obj("signature").string("algorithm")).isEqualTo("SHA256withECDSA");
        assertThat(Base64.getDecoder().decode(o.string("publicKey"))).isEqualTo(device.getPublic().getEncoded());
        assertThat(o.obj("report").integer("schemaVersion")).isEqualTo(1);
        assertThat(o.obj("report").string("trustMode")).isEqualTo("development");
        assertThat(o.obj("report").obj("rot").string("kind")).isEqualTo("soft");
    }

    @Test
    void compactAndReorderedFormsVerifyToo() {
        Json.Obj o = Json.parseObject(signedText);
        Json.Obj reordered = Json.object().put("publicKey", o.get("publicKey")).put("signature", o.get("signature"))
                .put("report", o.get("report"));

        assertThat(verify(o.write()).ok()).isTrue();
        assertThat(verify(reordered.write()).ok()).isTrue();
    }

    static Stream<Arguments> changes() {
        return Stream.of(
                Arguments.of("deviceKeySha256", (Consumer<Json.Obj>) r -> r.put("deviceKeySha256", Fixtures.sha('e'))),
                Arguments.of("slot", (Consumer<Json.Obj>) r -> r.put("slot", "b")),
                Arguments.of("imageVersion", (Consumer<Json.Obj>) r -> r.put("imageVersion", "1.4.1")),
                Arguments.of("securityVersion", (Consumer<Json.Obj>) r -> r.put("securityVersion", 4)),
                Arguments.of("manifestSha256", (Consumer<Json.Obj>) r -> r.put("manifestSha256", Fixtures.sha('f'))),
                Arguments.of("bundle hash", (Consumer<Json.Obj>) r -> r.arr("bundles").obj(1).put("sha256", Fixtures.sha('0'))),
                Arguments.of("bundle name", (Consumer<Json.Obj>) r -> r.arr("bundles").obj(2).put("symbolicName", "org.evil.scr")),
                Arguments.of("bundle removed", (Consumer<Json.Obj>) r -> {
                    Json.Arr fewer = Json.array().add(r.arr("bundles").obj(0)).add(r.arr("bundles").obj(1));
                    r.put("bundles", fewer);
                }),
                Arguments.of("bundle added", (Consumer<Json.Obj>) r -> r.arr("bundles")
                        .add(Json.object().put("symbolicName", "org.evil").put("sha256", Fixtures.sha('5')))),
                Arguments.of("bootCounter", (Consumer<Json.Obj>) r -> r.put("bootCounter", 6)),
                Arguments.of("rot kind", (Consumer<Json.Obj>) r -> r.obj("rot").put("kind", "pkcs11")),
                Arguments.of("rot description", (Consumer<Json.Obj>) r -> r.obj("rot").put("description", "a TPM, honest")),
                Arguments.of("trustMode", (Consumer<Json.Obj>) r -> r.put("trustMode", "field")),
                Arguments.of("created", (Consumer<Json.Obj>) r -> r.put("created", "2026-11-22T08:15:31.250Z")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("changes")
    void anyChangedFieldFailsOnTheSignature(String field, Consumer<Json.Obj> change) {
        AttestationVerdict v = verify(changed(o -> change.accept(o.obj("report"))));

        assertThat(v.outcome()).as(v.message()).isEqualTo(Outcome.SIGNATURE_MISMATCH);
        assertThat(v.message()).contains("signature does not match the report");
        assertThat(v.report()).isEmpty();
    }

    @Test
    void aChangedNonceFailsOnTheSignatureEvenWhenItIsTheExpectedOne() {
        Nonce other = Nonce.of("ffeeddccbbaa99887766554433221100");
        String text = changed(o -> o.obj("report").put("nonce", other.hex()));

        AttestationVerdict v = AttestationVerifier.verify(text, device.getPublic(), Optional.of(other));

        assertThat(v.outcome()).isEqualTo(Outcome.SIGNATURE_MISMATCH);
    }

    @Test
    void aFlippedSignatureBitFails() {
        String text = changed(o -> {
            byte[] sig = Base64.getDecoder().decode(o.obj("signature").string("value"));
            sig[sig.length - 1] ^= 1;
            o.obj("signature").put("value", Base64.getEncoder().encodeToString(sig));
        });

        assertThat(verify(text).outcome()).isEqualTo(Outcome.SIGNATURE_MISMATCH);
    }

    @Test
    void anotherTrustedKeyFails() throws Exception {
        PublicKey other = Fixtures.ecKey().getPublic();

        AttestationVerdict v = AttestationVerifier.verify(signedText, other, Optional.of(Fixtures.NONCE));

        assertThat(v.outcome()).isEqualTo(Outcome.KEY_MISMATCH);
        assertThat(v.message()).contains(Provisioning.fingerprint(other), Provisioning.fingerprint(device.getPublic()));
    }

    @Test
    void aReportReSignedByAnotherKeyFails() throws Exception {
        KeyPair attacker = Fixtures.ecKey();
        AttestationReport forged = Fixtures.report(attacker.getPublic()).build();
        String forgedText = SignedAttestation.sign(forged, ReportSigner.ofKey(attacker.getPrivate(), attacker.getPublic())).toText();

        assertThat(verify(forgedText).outcome()).isEqualTo(Outcome.KEY_MISMATCH);

        // the attacker's signature with the device's key pasted in
        String pasted = changed(o -> {
            Json.Obj f = Json.parseObject(forgedText);
            o.put("signature", f.obj("signature"));
        });
        assertThat(verify(pasted).outcome()).isEqualTo(Outcome.SIGNATURE_MISMATCH);
    }

    @Test
    void aReportThatNamesAnotherDeviceKeyIsRefusedEvenWhenSigned() throws Exception {
        // a signer that does not check (unlike SignedAttestation.sign) could produce this
        AttestationReport lying = Fixtures.report(device.getPublic()).deviceKeySha256(Fixtures.sha('c')).build();
        byte[] sig = ReportSigner.ofKey(device.getPrivate(), device.getPublic()).sign(lying.canonicalBytes());
        SignedAttestation s = new SignedAttestation(lying, org.voltkeep.rot.api.SignatureAlgorithm.ECDSA_P256_SHA256, sig,
                device.getPublic());

        AttestationVerdict v = AttestationVerifier.verify(s.toText(), device.getPublic(), Optional.empty());

        assertThat(v.outcome()).isEqualTo(Outcome.KEY_MISMATCH);
        assertThat(v.message()).contains("names device key " + Fixtures.sha('c'));
    }

    @Test
    void aWrongNonceFails() {
        AttestationVerdict v = AttestationVerifier.verify(signedText, device.getPublic(),
                Optional.of(Nonce.of("0123456789abcdef")));

        assertThat(v.outcome()).isEqualTo(Outcome.NONCE_MISMATCH);
        assertThat(v.message()).contains("expected nonce 0123456789abcdef", Fixtures.NONCE.hex());
    }

    @Test
    void aReportWithoutNonceFailsWhenOneIsExpectedAndPassesWhenNot() throws Exception {
        AttestationReport plain = Fixtures.report(device.getPublic()).nonce(Optional.empty()).build();
        String text = SignedAttestation.sign(plain, ReportSigner.ofKey(device.getPrivate(), device.getPublic())).toText();

        assertThat(AttestationVerifier.verify(text, device.getPublic(), Optional.of(Fixtures.NONCE)).outcome())
                .isEqualTo(Outcome.NONCE_MISMATCH);
        assertThat(AttestationVerifier.verify(text, device.getPublic(), Optional.empty()).outcome())
                .isEqualTo(Outcome.VALID);
    }

    /** A change of the signed text made on its parsed JSON. */
    private static UnaryOperator<String> inJson(Consumer<Json.Obj> change) {
        return text -> {
            Json.Obj o = Json.parseObject(text);
            change.accept(o);
            return o.writePretty();
        };
    }

    static Stream<Arguments> malformed() {
        return Stream.of(
                Arguments.of("not json", (UnaryOperator<String>) t -> "this is not a report", "JSON line 1"),
                Arguments.of("signature missing", (UnaryOperator<String>) t -> {
                    Json.Obj o = Json.parseObject(t);
                    return Json.object().put("report", o.get("report")).put("publicKey", o.get("publicKey")).write();
                }, "$.signature: missing"),
                Arguments.of("unknown top-level key", inJson(o -> o.put("extra", 1)), "$.extra: unknown key"),
                Arguments.of("unknown report key", inJson(o -> o.obj("report").put("firmware", "x")), "$.report.firmware"),
                Arguments.of("schema version 2", inJson(o -> o.obj("report").put("schemaVersion", 2)), "schema version 2 is not supported"),
                Arguments.of("bad base64", inJson(o -> o.obj("signature").put("value", "***")), "$.signature.value: not base64"),
                Arguments.of("public key garbage", inJson(o -> o.put("publicKey", "AAAA")), "$.publicKey"),
                Arguments.of("short nonce in report", inJson(o -> o.obj("report").put("nonce", "abcd")), "$.report.nonce"),
                Arguments.of("trust mode unknown", inJson(o -> o.obj("report").put("trustMode", "trusted")), "unknown trust mode 'trusted'"),
                Arguments.of("bundle hash not hex", inJson(o -> o.obj("report").arr("bundles").obj(0).put("sha256", "zz")), "$.report.bundles[0]"),
                Arguments.of("created not a time", inJson(o -> o.obj("report").put("created", "yesterday")), "$.report.created"),
                Arguments.of("bootCounter a string", inJson(o -> o.obj("report").put("bootCounter", "7")), "$.report.bootCounter: expected a number"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformed")
    void unreadableReportsAreMalformedAndSayWhere(String name, UnaryOperator<String> change, String expected) {
        AttestationVerdict v = verify(change.apply(signedText));

        assertThat(v.outcome()).as(v.message()).isEqualTo(Outcome.MALFORMED);
        assertThat(v.message()).contains(expected);
    }

    @Test
    void hugeInputIsRefusedBeforeParsing() {
        String text = "[" + "0,".repeat(SignedAttestation.MAX_TEXT_CHARS) + "0]";
        AttestationVerdict v = verify(text);
        assertThat(v.outcome()).isEqualTo(Outcome.MALFORMED);
        assertThat(v.message()).contains("at most " + SignedAttestation.MAX_TEXT_CHARS);
    }

    @Test
    void anUnsupportedAlgorithmIsNamed() {
        AttestationVerdict v = verify(changed(o -> o.obj("signature").put("algorithm", "MD5withRSA")));
        assertThat(v.outcome()).isEqualTo(Outcome.UNSUPPORTED_ALGORITHM);
        assertThat(v.message()).contains("'MD5withRSA'");
    }

    @Test
    void ed25519AndRsaKeysSignToo() throws Exception {
        for (String algorithm : new String[] {"Ed25519", "RSA"}) {
            KeyPairGenerator g = KeyPairGenerator.getInstance(algorithm);
            if (algorithm.equals("RSA")) {
                g.initialize(2048);
            }
            KeyPair k = g.generateKeyPair();
            String text = SignedAttestation.sign(Fixtures.report(k.getPublic()).build(),
                    ReportSigner.ofKey(k.getPrivate(), k.getPublic())).toText();

            AttestationVerdict v = AttestationVerifier.verify(text, k.getPublic(), Optional.of(Fixtures.NONCE));
            assertThat(v.outcome()).as(algorithm + ": " + v.message()).isEqualTo(Outcome.VALID);
        }
    }

    @Test
    void signingRefusesAReportForAnotherKey() throws Exception {
        KeyPair other = Fixtures.ecKey();
        assertThatThrownBy(() -> SignedAttestation.sign(report, ReportSigner.ofKey(other.getPrivate(), other.getPublic())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("names device key " + report.deviceKeySha256());
    }

    @Test
    void signingNoticesASignerWhoseKeysDoNotBelongTogether() throws Exception {
        KeyPair other = Fixtures.ecKey();
        ReportSigner mixed = ReportSigner.ofKey(other.getPrivate(), device.getPublic());
        assertThatThrownBy(() -> SignedAttestation.sign(report, mixed))
                .isInstanceOf(SignatureException.class)
                .hasMessageContaining("own public key does not verify");
    }

    @Test
    void signingRefusesAnAlgorithmVoltkeepDoesNotVerify() {
        ReportSigner sha1 = ReportSigner.ofKey(device.getPrivate(), device.getPublic(), "SHA1withECDSA");
        assertThatThrownBy(() -> SignedAttestation.sign(report, sha1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("SHA1withECDSA");
    }

    @Test
    void theRootOfTrustAdapterSignsWithTheDeviceKeyAndFillsItsFields() throws Exception {
        FakeRootOfTrust rot = new FakeRootOfTrust(device, BackendKind.PKCS11, TrustMode.FIELD, 41);
        AttestationReport fromRot = Fixtures.report(device.getPublic()).rootOfTrust(rot).build();

        String text = SignedAttestation.sign(fromRot, ReportSigner.of(rot)).toText();
        AttestationVerdict v = AttestationVerifier.verify(text, device.getPublic(), Optional.of(Fixtures.NONCE));

        assertThat(v.outcome()).as(v.message()).isEqualTo(Outcome.VALID);
        AttestationReport r = v.report().orElseThrow();
        assertThat(r.rot()).isEqualTo(rot.backend());
        assertThat(r.trustMode()).isEqualTo(TrustMode.FIELD);
        assertThat(r.bootCounter()).isEqualTo(41);
        assertThat(rot.signatures()).isEqualTo(1);
    }

    @Test
    void aFailingRootOfTrustIsReportedAsASignatureFailure() {
        FakeRootOfTrust rot = new FakeRootOfTrust(device, BackendKind.PKCS11, TrustMode.FIELD, 1);
        rot.failSigning("token removed");
        assertThatThrownBy(() -> SignedAttestation.sign(report, ReportSigner.of(rot)))
                .isInstanceOf(GeneralSecurityException.class)
                .hasMessageContaining("root of trust (pkcs11) could not sign the report: token removed");
    }

    @Test
    void aDeviceCertificateThatAllowsSigningVerifies() throws Exception {
        KeyPair ca = Fixtures.ecKey();
        X509Certificate cert = Fixtures.certificate(device.getPublic(), ca.getPrivate(), Fixtures.CREATED.minus(Duration.ofDays(1)),
                Fixtures.CREATED.plus(Duration.ofDays(365)), KeyUsage.digitalSignature);

        AttestationVerdict v = AttestationVerifier.verify(signedText, cert, Optional.of(Fixtures.NONCE));

        assertThat(v.outcome()).as(v.message()).isEqualTo(Outcome.VALID);
    }

    @Test
    void aDeviceCertificateWithoutDigitalSignatureIsRefused() throws Exception {
        KeyPair ca = Fixtures.ecKey();
        X509Certificate cert = Fixtures.certificate(device.getPublic(), ca.getPrivate(), Fixtures.CREATED.minus(Duration.ofDays(1)),
                Fixtures.CREATED.plus(Duration.ofDays(365)), KeyUsage.keyEncipherment);

        AttestationVerdict v = AttestationVerifier.verify(signedText, cert, Optional.of(Fixtures.NONCE));

        assertThat(v.outcome()).isEqualTo(Outcome.CERTIFICATE_UNUSABLE);
        assertThat(v.message()).contains("does not allow digital signatures");
    }

    @Test
    void aDeviceCertificateNotValidWhenTheReportWasMadeIsRefused() throws Exception {
        KeyPair ca = Fixtures.ecKey();
        X509Certificate expired = Fixtures.certificate(device.getPublic(), ca.getPrivate(), Fixtures.CREATED.minus(Duration.ofDays(400)),
                Fixtures.CREATED.minus(Duration.ofDays(35)), KeyUsage.digitalSignature);

        AttestationVerdict v = AttestationVerifier.verify(signedText, expired, Optional.of(Fixtures.NONCE));

        assertThat(v.outcome()).isEqualTo(Outcome.CERTIFICATE_UNUSABLE);
        assertThat(v.message()).contains("was not valid when the report was made");
    }

    @Test
    void aCertificateOfAnotherKeyFails() throws Exception {
        KeyPair ca = Fixtures.ecKey();
        X509Certificate cert = Fixtures.certificate(Fixtures.ecKey().getPublic(), ca.getPrivate(),
                Fixtures.CREATED.minus(Duration.ofDays(1)), Fixtures.CREATED.plus(Duration.ofDays(1)), KeyUsage.digitalSignature);

        assertThat(AttestationVerifier.verify(signedText, cert, Optional.empty()).outcome()).isEqualTo(Outcome.KEY_MISMATCH);
    }

    @Test
    void verdictAsJsonCarriesTheReportOnlyWhenValid() {
        Json.Obj ok = verify(signedText).toJson();
        Json.Obj bad = AttestationVerifier.verify(signedText, device.getPublic(), Optional.of(Nonce.of("0123456789abcdef"))).toJson();

        assertThat(ok.bool("ok")).isTrue();
        assertThat(ok.obj("report").string("slot")).isEqualTo("a");
        assertThat(bad.bool("ok")).isFalse();
        assertThat(bad.string("outcome")).isEqualTo("NONCE_MISMATCH");
        assertThat(bad.has("report")).isFalse();
    }
}
