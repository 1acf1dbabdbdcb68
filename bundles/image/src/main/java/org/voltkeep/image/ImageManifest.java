package org.voltkeep.image;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.voltkeep.json.Json;
import org.voltkeep.json.JsonException;
import org.voltkeep.rot.api.Zone;

/**
 * The image manifest (schema version {@value ImageFormat#SCHEMA_VERSION}): what the image
 * is for, its version and security version, and every file it carries with SHA-256 and
 * size. The manifest is what the image signer signs; everything else in the image is
 * bound to it by hash.
 *
 * @param compatible      the hardware the image is for; must equal the device's
 * @param version         semantic version of the image
 * @param securityVersion anti-rollback counter value; a device refuses images below its floor
 * @param created         when the image was built (whole seconds, UTC)
 * @param bundles         every bundle, at least one
 * @param config          configuration defaults
 * @param sbom            the CycloneDX SBOM
 */
public record ImageManifest(String compatible, String version, long securityVersion, Instant created,
        List<ManifestBundle> bundles, List<ManifestFile> config, ManifestFile sbom) {

    public ImageManifest {
        Objects.requireNonNull(compatible, "compatible");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(created, "created");
        Objects.requireNonNull(sbom, "sbom");
        if (!ImageFormat.COMPATIBLE.matcher(compatible).matches()) {
            throw new IllegalArgumentException("compatible '" + compatible + "' must match " + ImageFormat.COMPATIBLE.pattern());
        }
        if (!ImageFormat.SEMVER.matcher(version).matches() || version.length() > 128) {
            throw new IllegalArgumentException("version '" + version + "' is not a semantic version (like 1.4.0 or 2.0.0-rc.1)");
        }
        if (securityVersion < 0) {
            throw new IllegalArgumentException("securityVersion " + securityVersion + " is negative");
        }
        created = created.truncatedTo(ChronoUnit.SECONDS);
        bundles = List.copyOf(bundles);
        config = List.copyOf(config);
        if (bundles.isEmpty()) {
            throw new IllegalArgumentException("an image needs at least one bundle");
        }
        Set<String> paths = new HashSet<>();
        for (ManifestBundle b : bundles) {
            if (!paths.add(b.path())) {
                throw new IllegalArgumentException("bundle " + b.path() + " is listed twice");
            }
        }
        for (ManifestFile f : config) {
            if (!f.path().startsWith("config/") || !ImageFormat.isAllowedEntryName(f.path())) {
                throw new IllegalArgumentException("config file '" + f.path() + "' must be named config/<safety|app>/<pid>.cfg");
            }
            String pid = f.path().substring(f.path().lastIndexOf('/') + 1, f.path().length() - ".cfg".length());
            if (!ImageFormat.PID.matcher(pid).matches()) {
                throw new IllegalArgumentException("config file '" + f.path() + "': '" + pid + "' is not a configuration PID");
            }
            if (!paths.add(f.path())) {
                throw new IllegalArgumentException("config file " + f.path() + " is listed twice");
            }
        }
        if (!sbom.path().equals(ImageFormat.SBOM)) {
            throw new IllegalArgumentException("sbom path '" + sbom.path() + "' must be " + ImageFormat.SBOM);
        }
    }

    /** Bundles of one domain, in manifest order (the install order). */
    public List<ManifestBundle> bundles(BundleDomain domain) {
        return bundles.stream().filter(b -> b.domain() == domain).toList();
    }

    /** Every file the manifest lists: bundles, configuration, SBOM. */
    public List<ManifestFile> files() {
        List<ManifestFile> all = new ArrayList<>();
        for (ManifestBundle b : bundles) {
            all.add(new ManifestFile(b.path(), b.sha256(), b.sizeBytes()));
        }
        all.addAll(config);
        all.add(sbom);
        return all;
    }

    /** The manifest as JSON (indented, UTF-8, fixed key order): the bytes that get signed. */
    public byte[] toJsonBytes() {
        Json.Arr bs = Json.array();
        for (ManifestBundle b : bundles) {
            bs.add(Json.object()
                    .put("path", b.path())
                    .put("symbolicName", b.symbolicName())
                    .put("version", b.version())
                    .put("domain", b.domain().id())
                    .put("zone", b.zone().id())
                    .put("sha256", b.sha256())
                    .put("size", b.sizeBytes()));
        }
        Json.Arr cs = Json.array();
        for (ManifestFile f : config) {
            cs.add(file(f));
        }
        Json.Obj root = Json.object()
                .put("schemaVersion", ImageFormat.SCHEMA_VERSION)
                .put("compatible", compatible)
                .put("version", version)
                .put("securityVersion", securityVersion)
                .put("created", created.toString())
                .put("bundles", bs)
                .put("config", cs)
                .put("sbom", file(sbom));
        return root.writePretty().getBytes(StandardCharsets.UTF_8);
    }

    private static Json.Obj file(ManifestFile f) {
        return Json.object().put("path", f.path()).put("sha256", f.sha256()).put("size", f.sizeBytes());
    }

    /**
     * Parses a manifest strictly: UTF-8 without byte-order mark, every key required,
     * unknown keys and other schema versions refused.
     *
     * @throws IllegalArgumentException naming the path of what is wrong ({@code $.bundles[2].zone: ...})
     */
    public static ImageManifest parse(byte[] json) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(json)).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("manifest is not valid UTF-8");
        }
        if (text.startsWith("\uFEFF")) {
            throw new IllegalArgumentException("manifest starts with a byte-order mark");
        }
        Json.Obj root = Json.parseObject(text);
        root.onlyKeys("schemaVersion", "compatible", "version", "securityVersion", "created", "bundles", "config", "sbom");
        long schema = root.integer("schemaVersion");
        if (schema != ImageFormat.SCHEMA_VERSION) {
            throw new JsonException(root.path("schemaVersion") + ": schema version " + schema + " is not supported (expected "
                    + ImageFormat.SCHEMA_VERSION + ")");
        }
        Instant created;
        try {
            created = Instant.parse(root.string("created"));
        } catch (DateTimeParseException e) {
            throw new JsonException(root.path("created") + ": '" + root.string("created") + "' is not an ISO-8601 instant");
        }
        List<ManifestBundle> bundles = new ArrayList<>();
        Json.Arr bs = root.arr("bundles");
        for (int i = 0; i < bs.size(); i++) {
            Json.Obj b = bs.obj(i);
            String at = bs.path(i);
            b.onlyKeys("path", "symbolicName", "version", "domain", "zone", "sha256", "size");
            try {
                bundles.add(new ManifestBundle(b.string("path"), b.string("symbolicName"), b.string("version"),
                        BundleDomain.of(b.string("domain")), Zone.of(b.string("zone")), b.string("sha256"),
                        b.integer("size", 0, Long.MAX_VALUE)));
            } catch (JsonException e) {
                throw e;
            } catch (IllegalArgumentException e) {
                throw new JsonException(at + ": " + e.getMessage());
            }
        }
        List<ManifestFile> config = new ArrayList<>();
        Json.Arr cs = root.arr("config");
        for (int i = 0; i < cs.size(); i++) {
            config.add(readFile(cs.obj(i), cs.path(i)));
        }
        ManifestFile sbom = readFile(root.obj("sbom"), root.path("sbom"));
        try {
            return new ImageManifest(root.string("compatible"), root.string("version"),
                    root.integer("securityVersion", 0, Long.MAX_VALUE), created, bundles, config, sbom);
        } catch (JsonException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new JsonException("$: " + e.getMessage());
        }
    }

    private static ManifestFile readFile(Json.Obj o, String at) {
        o.onlyKeys("path", "sha256", "size");
        try {
            return new ManifestFile(o.string("path"), o.string("sha256"), o.integer("size", 0, Long.MAX_VALUE));
        } catch (JsonException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new JsonException(at + ": " + e.getMessage());
        }
    }
}
