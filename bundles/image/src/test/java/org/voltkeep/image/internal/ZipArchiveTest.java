package org.voltkeep.image.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ZipArchiveTest {

    @ParameterizedTest
    @ValueSource(strings = {"../x", "a/../../x", "/etc/passwd", "a\\b", "C:/x", "a/./b", "a//b", "./a", "a/..", "", "a\u0000b", "a\tb"})
    void unsafeNamesAreRefused(String name) {
        assertThatThrownBy(() -> ZipArchive.checkName(name))
                .isInstanceOfSatisfying(ZipArchive.Problem.class, p -> assertThat(p.kind()).isEqualTo(ZipArchive.Kind.NAME));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a", "META-INF/MANIFEST.MF", "org/x/Y.class", "dir/", "a..b/c", "..a", "ünïcödé.txt"})
    void ordinaryNamesPass(String name) throws Exception {
        ZipArchive.checkName(name);
    }

    @Test
    void writerOutputIsWhatTheStrictReaderAccepts() throws Exception {
        byte[] zip = new ZipWriter()
                .add("manifest.json", "{}".getBytes(StandardCharsets.UTF_8))
                .add("bundles/app/a.jar", new byte[] {1, 2, 3})
                .toByteArray();
        ZipArchive a = ZipArchive.parse(zip, ZipArchive.Profile.IMAGE, 1024, 10, 4096);
        assertThat(a.entries()).extracting(ZipArchive.Entry::name).containsExactly("manifest.json", "bundles/app/a.jar");
        assertThat(a.read(a.entries().get(1))).containsExactly(1, 2, 3);
    }

    @Test
    void declaredSizesAreCappedBeforeAnythingIsRead() {
        byte[] zip = new ZipWriter().add("manifest.json", new byte[2048]).toByteArray();
        assertThatThrownBy(() -> ZipArchive.parse(zip, ZipArchive.Profile.IMAGE, 1024, 10, 4096))
                .isInstanceOfSatisfying(ZipArchive.Problem.class, p -> {
                    assertThat(p.kind()).isEqualTo(ZipArchive.Kind.SIZE);
                    assertThat(p.entry()).isEqualTo("manifest.json");
                });
    }

    @Test
    void duplicateNamesAreFoundEvenThoughZipFileWouldHideThem() {
        byte[] zip = new ZipWriter().add("manifest.json", new byte[1]).add("manifest.json", new byte[2]).toByteArray();
        assertThatThrownBy(() -> ZipArchive.parse(zip, ZipArchive.Profile.IMAGE, 1024, 10, 4096))
                .isInstanceOfSatisfying(ZipArchive.Problem.class, p -> assertThat(p.kind()).isEqualTo(ZipArchive.Kind.DUPLICATE));
    }
}
