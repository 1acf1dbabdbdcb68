package org.voltkeep.integration.system;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.osgi.framework.BundleActivator;
import org.voltkeep.image.BundleDomain;
import org.voltkeep.image.DevPki;
import org.voltkeep.image.ImageBuilder;
import org.voltkeep.image.ImageVerifier;
import org.voltkeep.image.VerifiedBundle;
import org.voltkeep.image.VerifiedFile;
import org.voltkeep.image.VerifiedImage;
import org.voltkeep.image.VerifyPolicy;
import org.voltkeep.rot.api.TrustMode;
import org.voltkeep.rot.api.Zone;

/**
 * New images for update tests, made from this build's image and signed with this
 * build's development PKI: the same bundles (kept byte for byte, already signed) with
 * another version and security version, some bundles left out, or a test bundle added
 * whose activator crashes or blocks the application domain.
 */
final class UpdateImages {
    private final Path work;

    UpdateImages(Path work) {
        this.work = work;
    }

    /** An image of this build's bundles as {@code version}, without {@code leaveOut}, plus an app-domain bundle whose activator is {@code activator}. */
    Path build(String version, long securityVersion, Set<String> leaveOut, Class<? extends BundleActivator> activator)
            throws Exception {
        return build(version, securityVersion, leaveOut, activator, BundleDomain.APP);
    }

    /** As above, with the test bundle in {@code domain} (signed for that domain's zone: safety or core). */
    Path build(String version, long securityVersion, Set<String> leaveOut, Class<? extends BundleActivator> activator,
            BundleDomain domain) throws Exception {
        Path root = Voltkeep.root();
        DevPki pki = DevPki.open(root.resolve("launcher/target/dev-pki"));
        Path scratch = Files.createDirectories(work.resolve("scratch-" + version));
        VerifiedImage base = ImageVerifier.verify(root.resolve("launcher/target/voltkeep-dev.vkimg"),
                VerifyPolicy.of(pki.anchors(), "voltkeep-sim", 0).withTrustMode(TrustMode.DEVELOPMENT));
        ImageBuilder b = new ImageBuilder(pki.imageKeys()).workDir(scratch).compatible("voltkeep-sim").version(version)
                .securityVersion(securityVersion);
        for (VerifiedBundle vb : base.bundles()) {
            if (leaveOut.contains(vb.symbolicName())) {
                continue;
            }
            Path jar = Files.createDirectories(scratch.resolve("bundles").resolve(vb.domain().id())).resolve(vb.symbolicName() + ".jar");
            Files.write(jar, vb.bytes());
            b.bundle(jar, vb.domain(), vb.zone());
        }
        for (BundleDomain d : BundleDomain.values()) {
            for (VerifiedFile f : base.config(d)) {
                Path cfg = Files.createDirectories(scratch.resolve("config").resolve(d.id())).resolve(Path.of(f.path()).getFileName());
                Files.write(cfg, f.bytes());
                b.configFile(d, cfg);
            }
        }
        if (activator != null) {
            Path jar = scratch.resolve("test-bundle.jar");
            Files.write(jar, activatorBundle("org.voltkeep.test." + activator.getSimpleName().toLowerCase(), activator));
            b.bundle(jar, domain, domain == BundleDomain.SAFETY ? Zone.SAFETY : Zone.CORE);
        }
        Path out = work.resolve("voltkeep-" + version + ".vkimg");
        b.build(out);
        return out;
    }

    /** A real bundle: a manifest naming the activator, and the activator's compiled class. */
    static byte[] activatorBundle(String symbolicName, Class<?> activator) throws IOException {
        Manifest mf = new Manifest();
        Attributes a = mf.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.putValue("Bundle-ManifestVersion", "2");
        a.putValue("Bundle-SymbolicName", symbolicName);
        a.putValue("Bundle-Version", "1.0.0");
        a.putValue("Bundle-Activator", activator.getName());
        a.putValue("Import-Package", "org.osgi.framework");
        String classFile = activator.getName().replace('.', '/') + ".class";
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JarOutputStream jar = new JarOutputStream(out, mf);
                InputStream in = activator.getClassLoader().getResourceAsStream(classFile)) {
            jar.putNextEntry(new JarEntry(classFile));
            in.transferTo(jar);
            jar.closeEntry();
        }
        return out.toByteArray();
    }
}
