package org.voltkeep.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BundleAcceptorTest {
    @TempDir
    Path dir;
    DeviceLayout device;

    @BeforeEach
    void slot() throws IOException {
        device = new DeviceLayout(dir);
        device.createDirectories();
        BootState.initial().write(device);
        Files.createDirectories(device.slotDomain("a", Domain.SAFETY));
        Files.createDirectories(device.slotDomain("a", Domain.APP));
        Files.writeString(device.slot("a").resolve("bundles.list"), """
                org.example.common both
                org.example.safety safety
                org.example.app    app
                """);
        put(Domain.SAFETY, "org.example.common.jar", "org.example.common");
        put(Domain.SAFETY, "org.example.safety.jar", "org.example.safety");
        put(Domain.APP, "org.example.common.jar", "org.example.common");
        put(Domain.APP, "org.example.app.jar", "org.example.app");
    }

    @Test
    void acceptsExactlyTheListedBundlesWithTheirHashes() throws Exception {
        List<AcceptedBundle> safety = new BundleAcceptor().accept(device, "a", Domain.SAFETY);
        assertThat(safety).extracting(b -> b.identity().symbolicName()).containsExactly("org.example.common", "org.example.safety");
        AcceptedBundle first = safety.get(0);
        assertThat(first.sha256()).isEqualTo(BundleAcceptor.sha256(Files.readAllBytes(device.slotDomain("a", Domain.SAFETY).resolve("org.example.common.jar"))));
        assertThat(first.location()).isEqualTo("voltkeep:slot/a/safety/org.example.common.jar");
    }

    @Test
    void refusesABundleOfTheOtherDomain() throws Exception {
        put(Domain.APP, "org.example.safety.jar", "org.example.safety");
        assertThatThrownBy(() -> new BundleAcceptor().accept(device, "a", Domain.APP))
                .isInstanceOf(SlotRejectedException.class)
                .hasMessageContaining("app/org.example.safety.jar (org.example.safety) is not listed for the app domain");
    }

    @Test
    void refusesAMissingBundle() throws Exception {
        Files.delete(device.slotDomain("a", Domain.SAFETY).resolve("org.example.safety.jar"));
        assertThatThrownBy(() -> new BundleAcceptor().accept(device, "a", Domain.SAFETY))
                .hasMessageContaining("missing safety bundles: org.example.safety");
    }

    @Test
    void refusesASecondCopyUnderAnotherName() throws Exception {
        put(Domain.APP, "zz-copy.jar", "org.example.app");
        assertThatThrownBy(() -> new BundleAcceptor().accept(device, "a", Domain.APP))
                .hasMessageContaining("zz-copy.jar is a second copy of org.example.app");
    }

    @Test
    void refusesNonJarsLinksAndJarsWithoutIdentity() throws Exception {
        Path app = device.slotDomain("a", Domain.APP);
        Files.writeString(app.resolve("notes.txt"), "hello");
        assertThatThrownBy(() -> new BundleAcceptor().accept(device, "a", Domain.APP)).hasMessageContaining("notes.txt is not a bundle file");
        Files.delete(app.resolve("notes.txt"));

        Files.createSymbolicLink(app.resolve("link.jar"), app.resolve("org.example.app.jar"));
        assertThatThrownBy(() -> new BundleAcceptor().accept(device, "a", Domain.APP)).hasMessageContaining("link.jar is not a bundle file");
        Files.delete(app.resolve("link.jar"));

        Files.write(app.resolve("plain.jar"), jar(null));
        assertThatThrownBy(() -> new BundleAcceptor().accept(device, "a", Domain.APP)).hasMessageContaining("no Bundle-SymbolicName");
        Files.writeString(app.resolve("plain.jar"), "not a zip at all");
        assertThatThrownBy(() -> new BundleAcceptor().accept(device, "a", Domain.APP)).isInstanceOf(SlotRejectedException.class);
    }

    @Test
    void refusesASlotWithoutItsList() throws Exception {
        Files.delete(device.slot("a").resolve("bundles.list"));
        assertThatThrownBy(() -> new BundleAcceptor().accept(device, "a", Domain.SAFETY)).hasMessageContaining("cannot read its bundle list");
    }

    @Test
    void acceptedBundlesCannotBeMadeElsewhere() {
        assertThatThrownBy(() -> new AcceptedBundle(null, "x", new BundleJar("x", "1"), new byte[0], ""))
                .isInstanceOf(IllegalStateException.class);
    }

    private void put(Domain d, String file, String bsn) throws IOException {
        Files.write(device.slotDomain("a", d).resolve(file), jar(bsn));
    }

    static byte[] jar(String bsn) throws IOException {
        Manifest mf = new Manifest();
        mf.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        if (bsn != null) {
            mf.getMainAttributes().putValue("Bundle-SymbolicName", bsn + ";singleton:=true");
            mf.getMainAttributes().putValue("Bundle-Version", "1.2.3");
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JarOutputStream out = new JarOutputStream(bytes, mf)) {
            out.putNextEntry(new ZipEntry("x/Y.class"));
            out.write(new byte[] {1, 2, 3});
            out.closeEntry();
        }
        return bytes.toByteArray();
    }
}
