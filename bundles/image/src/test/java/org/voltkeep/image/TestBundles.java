package org.voltkeep.image;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/** Makes small, real bundle JARs for tests (manifest, a compiled class, a resource, Maven coordinates). */
final class TestBundles {
    private TestBundles() {
    }

    /** Bytes of a real class file, so bundles hold what bundles hold. */
    static byte[] classBytes() {
        try (InputStream in = TestBundles.class.getResourceAsStream("TestBundles.class")) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] bundle(String symbolicName, String version) {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        String pkg = symbolicName.replace('.', '/');
        entries.put(pkg + "/", new byte[0]);
        entries.put(pkg + "/Main.class", classBytes());
        entries.put(pkg + "/about.txt", ("bundle " + symbolicName + " " + version + "\n").getBytes(StandardCharsets.UTF_8));
        entries.put("META-INF/maven/org.example/" + symbolicName + "/pom.properties",
                ("groupId=org.example\nartifactId=" + symbolicName + "\nversion=" + version + "\n").getBytes(StandardCharsets.UTF_8));
        return bundle(symbolicName, version, entries);
    }

    static byte[] bundle(String symbolicName, String version, Map<String, byte[]> entries) {
        Manifest mf = new Manifest();
        Attributes a = mf.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.putValue("Bundle-ManifestVersion", "2");
        a.putValue("Bundle-SymbolicName", symbolicName);
        a.putValue("Bundle-Version", version);
        a.putValue("Bundle-Name", "Test bundle " + symbolicName);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JarOutputStream jar = new JarOutputStream(out, mf)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                jar.putNextEntry(new JarEntry(e.getKey()));
                jar.write(e.getValue());
                jar.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** All entries of a JAR in order (a plain ZIP read: no verification). */
    static Map<String, byte[]> entries(byte[] jar) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(new java.io.ByteArrayInputStream(jar))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null;) {
                out.put(e.getName(), in.readAllBytes());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    /** Writes entries as a JAR (a plain ZIP, deflated), in the given order. */
    static byte[] rezip(Map<String, byte[]> entries) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey()));
                zip.write(e.getValue());
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
