package org.voltkeep.attestation.internal;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.voltkeep.attestation.AttestationFormatException;
import org.voltkeep.attestation.AttestationReport;
import org.voltkeep.attestation.BundleDigest;
import org.voltkeep.attestation.Nonce;
import org.voltkeep.json.Json;
import org.voltkeep.rot.api.BackendInfo;
import org.voltkeep.rot.api.BackendKind;
import org.voltkeep.rot.api.TrustMode;

/**
 * The report's JSON form, both ways. Writing fixes the key order (the canonical
 * form that is signed); reading accepts any order but no unknown or missing key,
 * and checks every value, because a verifier reads what an attacker may have written.
 */
public final class ReportJson {
    private static final String[] KEYS = {"schemaVersion", "deviceKeySha256", "slot", "imageVersion", "securityVersion",
        "manifestSha256", "bundles", "bootCounter", "rot", "trustMode", "nonce", "created"};

    private ReportJson() {
    }

    public static Json.Obj write(AttestationReport r) {
        Json.Arr bundles = Json.array();
        for (BundleDigest b : r.bundles()) {
            bundles.add(Json.object().put("symbolicName", b.symbolicName()).put("sha256", b.sha256()));
        }
        return Json.object()
                .put("schemaVersion", AttestationReport.SCHEMA_VERSION)
                .put("deviceKeySha256", r.deviceKeySha256())
                .put("slot", r.slot())
                .put("imageVersion", r.imageVersion())
                .put("securityVersion", r.securityVersion())
                .put("manifestSha256", r.manifestSha256())
                .put("bundles", bundles)
                .put("bootCounter", r.bootCounter())
                .put("rot", Json.object().put("kind", r.rot().kind().id()).put("description", r.rot().description()))
                .put("trustMode", r.trustMode().id())
                .put("nonce", r.nonce().map(Nonce::hex).orElse(null))
                .put("created", DateTimeFormatter.ISO_INSTANT.format(r.created()));
    }

    public static AttestationReport read(Json.Obj o) throws AttestationFormatException {
        try {
            o.onlyKeys(KEYS);
            for (String k : KEYS) {
                o.get(k); // names a missing key with its path
            }
            long schema = o.integer("schemaVersion");
            if (schema != AttestationReport.SCHEMA_VERSION) {
                throw new AttestationFormatException(o.path("schemaVersion") + ": schema version " + schema
                        + " is not supported (this verifier reads " + AttestationReport.SCHEMA_VERSION + ")");
            }
            Json.Arr arr = o.arr("bundles");
            if (arr.size() > AttestationReport.MAX_BUNDLES) {
                throw new AttestationFormatException(o.path("bundles") + ": " + arr.size() + " bundles; at most "
                        + AttestationReport.MAX_BUNDLES);
            }
            List<BundleDigest> bundles = new ArrayList<>();
            for (int i = 0; i < arr.size(); i++) {
                Json.Obj b = arr.obj(i).onlyKeys("symbolicName", "sha256");
                bundles.add(field(arr.path(i), () -> new BundleDigest(b.string("symbolicName"), b.string("sha256"))));
            }
            Json.Obj rot = o.obj("rot").onlyKeys("kind", "description");
            BackendInfo backend = field(o.path("rot"),
                    () -> new BackendInfo(BackendKind.of(rot.string("kind")), rot.string("description")));
            TrustMode trustMode = field(o.path("trustMode"), () -> TrustMode.of(o.string("trustMode")));
            Optional<Nonce> nonce = o.get("nonce") instanceof Json.Null
                    ? Optional.empty()
                    : Optional.of(field(o.path("nonce"), () -> Nonce.of(o.string("nonce"))));
            Instant created = field(o.path("created"), () -> Instant.parse(o.string("created")));
            return field(path(o), () -> new AttestationReport(o.string("deviceKeySha256"), o.string("slot"),
                    o.string("imageVersion"), o.integer("securityVersion"), o.string("manifestSha256"), bundles,
                    o.integer("bootCounter"), backend, trustMode, nonce, created));
        } catch (IllegalArgumentException e) {
            // JsonException is one, and names the path itself
            throw new AttestationFormatException(e.getMessage(), e);
        }
    }

    private interface Reader<T> {
        T read();
    }

    /** Runs a value's checks and puts the path in front of their message when they refuse. */
    private static <T> T field(String path, Reader<T> reader) throws AttestationFormatException {
        try {
            return reader.read();
        } catch (org.voltkeep.json.JsonException e) {
            throw new AttestationFormatException(e.getMessage(), e);
        } catch (IllegalArgumentException | DateTimeParseException e) {
            throw new AttestationFormatException(path + ": " + e.getMessage(), e);
        }
    }

    private static String path(Json.Obj o) {
        String p = o.path("x");
        return p.substring(0, p.length() - 2);
    }
}
