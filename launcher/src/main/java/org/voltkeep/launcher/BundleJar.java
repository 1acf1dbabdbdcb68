package org.voltkeep.launcher;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.jar.JarInputStream;
import java.util.jar.Manifest;

/** The identity a bundle JAR declares in its manifest. */
record BundleJar(String symbolicName, String version) {

    /** Reads the manifest from the JAR's bytes; a JAR without a bundle identity is refused. */
    static BundleJar read(String origin, byte[] jarBytes) throws IOException {
        try (JarInputStream in = new JarInputStream(new ByteArrayInputStream(jarBytes), false)) {
            Manifest mf = in.getManifest();
            if (mf == null) {
                throw new IOException(origin + ": not a JAR with a manifest");
            }
            String bsn = mf.getMainAttributes().getValue("Bundle-SymbolicName");
            if (bsn == null || bsn.isBlank()) {
                throw new IOException(origin + ": no Bundle-SymbolicName in the manifest");
            }
            int semi = bsn.indexOf(';');
            String name = (semi >= 0 ? bsn.substring(0, semi) : bsn).trim();
            String version = mf.getMainAttributes().getValue("Bundle-Version");
            return new BundleJar(name, version == null ? "0.0.0" : version.trim());
        }
    }
}
