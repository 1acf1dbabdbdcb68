package org.voltkeep.zones;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import javax.tools.FileObject;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * A small bundle made in a test: a manifest with the given headers, classes compiled
 * from the given sources with the JDK's compiler, and plain entries. Unsigned: these
 * tests are about zones, which the guard takes from the launcher, not from the JAR.
 */
final class TestBundle {
    private final Map<String, String> headers = new LinkedHashMap<>();
    private final Map<String, String> sources = new LinkedHashMap<>();
    private final Map<String, byte[]> entries = new LinkedHashMap<>();

    private TestBundle(String symbolicName) {
        headers.put("Bundle-ManifestVersion", "2");
        headers.put("Bundle-SymbolicName", symbolicName);
        headers.put("Bundle-Version", "1.0.0");
    }

    static TestBundle named(String symbolicName) {
        return new TestBundle(symbolicName);
    }

    TestBundle header(String name, String value) {
        headers.put(name, value);
        return this;
    }

    TestBundle version(String v) {
        return header("Bundle-Version", v);
    }

    TestBundle exports(String value) {
        return header("Export-Package", value);
    }

    TestBundle imports(String value) {
        return header("Import-Package", value);
    }

    /** A class to compile into the bundle, {@code className} in dotted form. */
    TestBundle source(String className, String code) {
        sources.put(className, code);
        return this;
    }

    TestBundle entry(String name, String content) {
        entries.put(name, content.getBytes(StandardCharsets.UTF_8));
        return this;
    }

    byte[] jar() {
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        headers.forEach((k, v) -> main.put(new Attributes.Name(k), v));
        Map<String, byte[]> all = new LinkedHashMap<>(compile());
        all.putAll(entries);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JarOutputStream jar = new JarOutputStream(out, manifest)) {
            for (Map.Entry<String, byte[]> e : all.entrySet()) {
                jar.putNextEntry(new JarEntry(e.getKey()));
                jar.write(e.getValue());
                jar.closeEntry();
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }

    private Map<String, byte[]> compile() {
        Map<String, byte[]> classes = new LinkedHashMap<>();
        if (sources.isEmpty()) {
            return classes;
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        List<JavaFileObject> units = new ArrayList<>();
        sources.forEach((name, code) -> units.add(new SimpleJavaFileObject(
                URI.create("string:///" + name.replace('.', '/') + ".java"), JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return code;
            }
        }));
        StandardJavaFileManager standard = javac.getStandardFileManager(null, null, StandardCharsets.UTF_8);
        ForwardingJavaFileManager<StandardJavaFileManager> manager = new ForwardingJavaFileManager<>(standard) {
            @Override
            public JavaFileObject getJavaFileForOutput(Location location, String className, JavaFileObject.Kind kind,
                    FileObject sibling) {
                return new SimpleJavaFileObject(URI.create("mem:///" + className.replace('.', '/') + ".class"), kind) {
                    @Override
                    public OutputStream openOutputStream() {
                        return new ByteArrayOutputStream() {
                            @Override
                            public void close() {
                                classes.put(className.replace('.', '/') + ".class", toByteArray());
                            }
                        };
                    }
                };
            }
        };
        List<String> options = List.of("--release", "17", "-classpath", System.getProperty("java.class.path"));
        StringBuilderWriter errors = new StringBuilderWriter();
        if (!javac.getTask(errors, manager, null, options, null, units).call()) {
            throw new IllegalStateException("test bundle sources do not compile:\n" + errors);
        }
        return classes;
    }

    /** Collects compiler messages. */
    private static final class StringBuilderWriter extends java.io.Writer {
        private final StringBuilder text = new StringBuilder();

        @Override
        public void write(char[] cbuf, int off, int len) {
            text.append(cbuf, off, len);
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }

        @Override
        public String toString() {
            return text.toString();
        }
    }
}
