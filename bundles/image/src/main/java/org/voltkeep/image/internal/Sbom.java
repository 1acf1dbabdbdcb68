package org.voltkeep.image.internal;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.voltkeep.image.ImageFormat;
import org.voltkeep.image.ImageRejected;
import org.voltkeep.image.ImageRejected.Reason;
import org.voltkeep.image.ManifestBundle;
import org.voltkeep.json.Json;
import org.voltkeep.json.JsonException;

/** The image's CycloneDX 1.5 JSON SBOM: one component per bundle, with its SHA-256. */
public final class Sbom {

    /** A bundle as the SBOM lists it; {@code purl} is null when the JAR carries no Maven coordinates. */
    public record Component(ManifestBundle bundle, String purl) {
    }

    private Sbom() {
    }

    /**
     * Writes the SBOM. Its serial number is derived from the content, so the same bundles
     * give the same SBOM.
     */
    public static byte[] write(String compatible, String version, Instant created, List<Component> components) {
        Json.Arr comps = Json.array();
        StringBuilder identity = new StringBuilder(compatible).append('/').append(version);
        for (Component c : components) {
            ManifestBundle b = c.bundle();
            identity.append('/').append(b.path()).append('=').append(b.sha256());
            Json.Obj o = Json.object()
                    .put("type", "library")
                    .put("bom-ref", b.path())
                    .put("name", b.symbolicName())
                    .put("version", b.version())
                    .put("hashes", Json.array().add(Json.object().put("alg", "SHA-256").put("content", b.sha256())));
            if (c.purl() != null) {
                o.put("purl", c.purl());
            }
            o.put("properties", Json.array()
                    .add(Json.object().put("name", "voltkeep:domain").put("value", b.domain().id()))
                    .add(Json.object().put("name", "voltkeep:zone").put("value", b.zone().id())));
            comps.add(o);
        }
        UUID serial = UUID.nameUUIDFromBytes(identity.toString().getBytes(StandardCharsets.UTF_8));
        Json.Obj root = Json.object()
                .put("bomFormat", "CycloneDX")
                .put("specVersion", "1.5")
                .put("serialNumber", "urn:uuid:" + serial)
                .put("version", 1)
                .put("metadata", Json.object()
                        .put("timestamp", created.toString())
                        .put("component", Json.object()
                                .put("type", "firmware")
                                .put("bom-ref", "image")
                                .put("name", "voltkeep-image-" + compatible)
                                .put("version", version)))
                .put("components", comps);
        return root.writePretty().getBytes(StandardCharsets.UTF_8);
    }

    /** Refuses an SBOM that is not CycloneDX 1.5 JSON or does not list every bundle with its SHA-256. */
    public static void check(byte[] sbom, List<ManifestBundle> bundles) throws ImageRejected {
        String e = ImageFormat.SBOM;
        try {
            Json.Obj root = Json.parseObject(new String(sbom, StandardCharsets.UTF_8));
            if (!"CycloneDX".equals(root.string("bomFormat")) || !"1.5".equals(root.string("specVersion"))) {
                throw new ImageRejected(Reason.SBOM_INVALID, e, "not a CycloneDX 1.5 SBOM");
            }
            Map<String, Json.Obj> byRef = new HashMap<>();
            Json.Arr comps = root.arr("components");
            for (int i = 0; i < comps.size(); i++) {
                Json.Obj c = comps.obj(i);
                if (c.has("bom-ref")) {
                    byRef.put(c.string("bom-ref"), c);
                }
            }
            for (ManifestBundle b : bundles) {
                Json.Obj c = byRef.get(b.path());
                if (c == null) {
                    throw new ImageRejected(Reason.SBOM_INVALID, e, "does not list bundle " + b.path());
                }
                if (!b.symbolicName().equals(c.string("name")) || !b.version().equals(c.string("version"))) {
                    throw new ImageRejected(Reason.SBOM_INVALID, e, "lists " + b.path() + " as " + c.string("name") + " "
                            + c.string("version") + ", the manifest as " + b.symbolicName() + " " + b.version());
                }
                boolean hashed = false;
                Json.Arr hashes = c.arr("hashes");
                for (int i = 0; i < hashes.size(); i++) {
                    Json.Obj h = hashes.obj(i);
                    if ("SHA-256".equals(h.string("alg")) && b.sha256().equals(h.string("content"))) {
                        hashed = true;
                    }
                }
                if (!hashed) {
                    throw new ImageRejected(Reason.SBOM_INVALID, e, "does not give the SHA-256 of " + b.path() + " as the manifest does");
                }
            }
        } catch (JsonException ex) {
            throw new ImageRejected(Reason.SBOM_INVALID, e, ex.getMessage(), ex);
        }
    }
}
