package org.voltkeep.image;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.voltkeep.image.internal.Hashes;
import org.voltkeep.image.internal.Sbom;
import org.voltkeep.image.internal.ZipArchive;
import org.voltkeep.image.internal.ZipWriter;

/**
 * Takes images apart and puts them back together, for building bad images: entries can
 * be replaced, added or removed, and the manifest rewritten and signed again by any key.
 */
final class ImageForge {
    private final LinkedHashMap<String, byte[]> entries;

    private ImageForge(LinkedHashMap<String, byte[]> entries) {
        this.entries = entries;
    }

    static ImageForge of(byte[] image) {
        try {
            ZipArchive zip = ZipArchive.parse(image, ZipArchive.Profile.IMAGE, Long.MAX_VALUE / 4, 10_000, Long.MAX_VALUE / 4);
            LinkedHashMap<String, byte[]> m = new LinkedHashMap<>();
            for (ZipArchive.Entry e : zip.entries()) {
                m.put(e.name(), zip.read(e));
            }
            return new ImageForge(m);
        } catch (ZipArchive.Problem p) {
            throw new IllegalStateException("test image does not parse: " + p.getMessage(), p);
        }
    }

    ImageForge copy() {
        return new ImageForge(new LinkedHashMap<>(entries));
    }

    byte[] get(String name) {
        return entries.get(name);
    }

    List<String> names() {
        return new ArrayList<>(entries.keySet());
    }

    ImageManifest manifest() {
        return ImageManifest.parse(entries.get(ImageFormat.MANIFEST));
    }

    ImageForge put(String name, byte[] bytes) {
        entries.put(name, bytes);
        return this;
    }

    ImageForge remove(String name) {
        entries.remove(name);
        return this;
    }

    /** Replaces a bundle's bytes and updates its hash and size in the manifest (call {@link #seal} after). */
    ImageManifest withBundle(ImageManifest m, String path, byte[] jar) {
        entries.put(path, jar);
        List<ManifestBundle> bs = new ArrayList<>();
        for (ManifestBundle b : m.bundles()) {
            bs.add(b.path().equals(path)
                    ? new ManifestBundle(b.path(), b.symbolicName(), b.version(), b.domain(), b.zone(), Hashes.sha256Hex(jar), jar.length)
                    : b);
        }
        return new ImageManifest(m.compatible(), m.version(), m.securityVersion(), m.created(), bs, m.config(), m.sbom());
    }

    /** Writes a fresh SBOM for the manifest's bundles, then the manifest and its signature by {@code signer}. */
    ImageForge seal(ImageManifest m, SigningKey signer, Clock clock) throws Exception {
        List<Sbom.Component> comps = new ArrayList<>();
        for (ManifestBundle b : m.bundles()) {
            comps.add(new Sbom.Component(b, null));
        }
        byte[] sbom = Sbom.write(m.compatible(), m.version(), m.created(), comps);
        entries.put(ImageFormat.SBOM, sbom);
        ImageManifest sealed = new ImageManifest(m.compatible(), m.version(), m.securityVersion(), m.created(), m.bundles(), m.config(),
                new ManifestFile(ImageFormat.SBOM, Hashes.sha256Hex(sbom), sbom.length));
        return signRaw(sealed.toJsonBytes(), signer, clock);
    }

    /** Puts manifest bytes as they are (hand-written JSON too) and signs them. */
    ImageForge signRaw(byte[] manifestJson, SigningKey signer, Clock clock) throws Exception {
        entries.put(ImageFormat.MANIFEST, manifestJson);
        entries.put(ImageFormat.SIGNATURE, ImageBuilder.signManifest(manifestJson, signer, clock));
        return this;
    }

    String manifestText() {
        return new String(entries.get(ImageFormat.MANIFEST), StandardCharsets.UTF_8);
    }

    byte[] zip() {
        ZipWriter w = new ZipWriter();
        for (Map.Entry<String, byte[]> e : entries.entrySet()) {
            w.add(e.getKey(), e.getValue());
        }
        return w.toByteArray();
    }
}
