package org.voltkeep.image;

import java.security.cert.X509Certificate;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.voltkeep.rot.api.Zone;

/**
 * The keys an image is built with: the image signer (signs the manifest) and one code
 * signer per zone (signs that zone's bundles), plus the trust anchors they chain to.
 * With anchors the builder keeps bundles that are already signed for their zone and
 * checks the finished image before writing it.
 *
 * @param imageSigner signs the manifest
 * @param codeSigners the code signer of each zone the image has bundles in
 * @param anchors     the roots the keys chain to; may be empty (then nothing is kept as is and nothing is checked)
 */
public record ImageKeys(SigningKey imageSigner, Map<Zone, SigningKey> codeSigners, List<X509Certificate> anchors) {

    public ImageKeys {
        Objects.requireNonNull(imageSigner, "imageSigner");
        codeSigners = Map.copyOf(codeSigners);
        anchors = List.copyOf(anchors);
    }

    /** One developer-role key for the manifest and every zone (accepted only by devices in development trust). */
    public static ImageKeys developer(SigningKey developer, List<X509Certificate> anchors) {
        Map<Zone, SigningKey> all = new EnumMap<>(Zone.class);
        for (Zone z : Zone.values()) {
            all.put(z, developer);
        }
        return new ImageKeys(developer, all, anchors);
    }

    /** The code signer of a zone; the message says which zone has none. */
    public SigningKey codeSigner(Zone zone) throws ImageBuildException {
        SigningKey k = codeSigners.get(zone);
        if (k == null) {
            throw new ImageBuildException("no code-signing key for zone " + zone.id());
        }
        return k;
    }
}
