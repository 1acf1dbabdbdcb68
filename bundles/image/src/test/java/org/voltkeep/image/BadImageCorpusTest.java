package org.voltkeep.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.voltkeep.image.ImageRejected.Reason;

/**
 * Every image of the corpus of bad images is rejected with the expected reason (and,
 * where it is precise, naming the entry), never with any other exception. The corpus is
 * generated from one good image made with a fresh development PKI.
 */
class BadImageCorpusTest {
    @TempDir
    static Path dir;
    static Fixture fx;
    static List<BadImageCorpus.Case> corpus;

    @BeforeAll
    static void build() throws Exception {
        fx = new Fixture(dir);
        corpus = new BadImageCorpus(fx).build();
    }

    @Test
    void theImageTheCorpusIsMadeFromIsGood() throws Exception {
        assertThat(ImageVerifier.verify(fx.image, fx.policy()).bundles()).hasSize(5);
        // the boundaries of the policy cases accept it too
        assertThat(ImageVerifier.verify(fx.image, fx.policy().withFloor(3)).manifest().securityVersion()).isEqualTo(3);
    }

    @Test
    void corpusIsLargeAndCoversEveryKindOfDamage() {
        assertThat(corpus).hasSizeGreaterThanOrEqualTo(200);
        Set<String> categories = corpus.stream().map(BadImageCorpus.Case::category).collect(Collectors.toSet());
        assertThat(categories).contains("bit flip", "bit flip, CRC fixed", "truncation", "hash mismatch", "mix-and-match",
                "bundle signer", "manifest signer", "signed JAR", "policy", "entry names", "duplicates", "sizes", "missing", "extra");
        // every reason that a file can earn is earned by some case
        Set<Reason> expected = corpus.stream().flatMap(c -> c.expected().stream()).collect(Collectors.toCollection(() -> EnumSet.noneOf(Reason.class)));
        assertThat(expected).containsAll(EnumSet.complementOf(EnumSet.of(Reason.IO_ERROR)));
        // and the bit flips reach every region: each entry's header and data, the directory, its end record
        assertThat(corpus.stream().filter(c -> c.category().equals("bit flip")).map(c -> c.name().replaceAll(" @\\d+$", "")).distinct())
                .contains("local header of manifest.json", "data of manifest.json.p7s", "data of bundles/app/org.example.core.jar",
                        "local header of sbom.cdx.json", "central directory", "end record");
    }

    @TestFactory
    Stream<DynamicTest> everyBadImageIsRejectedWithTheExpectedReason() {
        return corpus.stream().map(c -> dynamicTest(c.toString(), () -> {
            Path file = dir.resolve("case.img");
            Files.write(file, c.image());

            Throwable t = catchThrowable(() -> ImageVerifier.verify(file, c.policy()));

            assertThat(t).as(c + ": expected a rejection").isNotNull();
            if (!(t instanceof ImageRejected r)) {
                throw new AssertionError(c + ": threw " + t + " instead of ImageRejected", t);
            }
            assertThat(c.expected()).as(c + ": " + r.getMessage()).contains(r.reason());
            assertThat(r.detail()).as(c.toString()).isNotBlank();
            if (c.entryPrefix() != null) {
                assertThat(r.entry()).as(c + ": " + r.getMessage()).hasValueSatisfying(e -> assertThat(e).startsWith(c.entryPrefix()));
            }
        }));
    }
}
