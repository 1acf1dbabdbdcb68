package org.voltkeep.rot.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.DynamicContainer.dynamicContainer;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;
import org.voltkeep.json.Json;

/**
 * Every Wycheproof vector of the shared corpus through {@link SignatureVerifier}: each
 * {@code valid} must verify, each {@code invalid} must be rejected, {@code acceptable}
 * may go either way (but must not throw). One dynamic test per vector, one container per file,
 * and a count line per file on standard output.
 */
class WycheproofTest {

    private static final HexFormat HEX = HexFormat.of();

    @TestFactory
    Stream<DynamicNode> ecdsaP256Der() throws IOException {
        return file("ecdsa_secp256r1_sha256_test.json", SignatureAlgorithm.ECDSA_P256_SHA256);
    }

    @TestFactory
    Stream<DynamicNode> ecdsaP256P1363() throws IOException {
        return file("ecdsa_secp256r1_sha256_p1363_test.json", SignatureAlgorithm.ECDSA_P256_SHA256_P1363);
    }

    @TestFactory
    Stream<DynamicNode> ed25519() throws IOException {
        return file("ed25519_test.json", SignatureAlgorithm.ED25519);
    }

    @TestFactory
    Stream<DynamicNode> rsaPkcs1() throws IOException {
        return file("rsa_signature_2048_sha256_test.json", SignatureAlgorithm.RSA_PKCS1_SHA256);
    }

    @TestFactory
    Stream<DynamicNode> rsaPss() throws IOException {
        return file("rsa_pss_2048_sha256_mgf1_32_test.json", SignatureAlgorithm.RSA_PSS_SHA256);
    }

    private record Vector(long tcId, String result, String comment, List<String> flags, PublicKey key, String keyError,
                          byte[] message, byte[] signature) {
        String label() {
            return "tcId " + tcId + " " + result + (flags.isEmpty() ? "" : " " + flags) + (comment.isEmpty() ? "" : ": " + comment);
        }
    }

    private static Stream<DynamicNode> file(String name, SignatureAlgorithm algorithm) throws IOException {
        Path path = VectorFiles.wycheproof().resolve(name);
        Json.Obj root = Json.parseObject(Files.readString(path, StandardCharsets.UTF_8));
        List<Vector> vectors = new ArrayList<>();
        for (Json group : root.arr("testGroups").items()) {
            Json.Obj g = (Json.Obj) group;
            PublicKey key = null;
            String keyError = null;
            try {
                key = SignatureVerifier.publicKey(HEX.parseHex(g.string("publicKeyDer")));
            } catch (RotException e) {
                keyError = e.getMessage();
            }
            for (Json test : g.arr("tests").items()) {
                Json.Obj t = (Json.Obj) test;
                List<String> flags = t.arr("flags").items().stream().map(f -> ((Json.Str) f).value()).collect(Collectors.toList());
                vectors.add(new Vector(t.integer("tcId"), t.string("result"), t.string("comment", ""), flags, key, keyError,
                        HEX.parseHex(t.string("msg")), HEX.parseHex(t.string("sig"))));
            }
        }
        long declared = root.integer("numberOfTests");
        assertThat(vectors).as("vectors in %s", name).hasSize((int) declared);
        System.out.printf("wycheproof %-42s %4d vectors: %d valid, %d invalid, %d acceptable -> %s%n", name, vectors.size(),
                count(vectors, "valid"), count(vectors, "invalid"), count(vectors, "acceptable"), algorithm);
        return Stream.of(dynamicContainer(name + " (" + vectors.size() + " vectors)",
                vectors.stream().map(v -> dynamicTest(v.label(), () -> check(algorithm, v)))));
    }

    private static void check(SignatureAlgorithm algorithm, Vector v) {
        if (v.key() == null) {
            assertThat(v.result()).as("group key refused (%s), so only invalid vectors may use it", v.keyError()).isEqualTo("invalid");
            return;
        }
        boolean accepted = SignatureVerifier.isValid(algorithm, v.key(), v.message(), v.signature());
        switch (v.result()) {
            case "valid" -> assertThat(accepted).as("valid vector accepted; rejection reason: %s",
                    SignatureVerifier.check(algorithm, v.key(), v.message(), v.signature()).orElse("-")).isTrue();
            case "invalid" -> assertThat(accepted).as("invalid vector rejected").isFalse();
            case "acceptable" -> { /* either way; it must only not throw */ }
            default -> throw new AssertionError("unknown result '" + v.result() + "'");
        }
    }

    private static long count(List<Vector> vectors, String result) {
        return vectors.stream().filter(v -> v.result().equals(result)).count();
    }
}
