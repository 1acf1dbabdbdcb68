package org.voltkeep.image;

import org.voltkeep.image.ImageRejected.Reason;
import org.voltkeep.image.internal.ZipArchive;

/**
 * Finding an image's entries, shared by {@link ImageVerifier} and {@link PinnedImage}.
 * Its own class so that a domain reading a pinned image loads no verification code.
 */
final class ImageEntries {

    private ImageEntries() {
    }

    /** The manifest's entry, present and within its cap (checks 3, for the verifier and for a pinned read). */
    static ZipArchive.Entry manifest(ZipArchive zip) throws ImageRejected {
        ZipArchive.Entry me = named(zip, ImageFormat.MANIFEST);
        if (me == null) {
            throw new ImageRejected(Reason.MANIFEST_MISSING, ImageFormat.MANIFEST, "not in the image");
        }
        if (me.size() > ImageFormat.MAX_MANIFEST_BYTES) {
            throw new ImageRejected(Reason.SIZE_LIMIT, ImageFormat.MANIFEST, me.size() + " bytes, more than the cap of "
                    + ImageFormat.MAX_MANIFEST_BYTES);
        }
        return me;
    }

    /** The entry named {@code name}, or null. */
    static ZipArchive.Entry named(ZipArchive zip, String name) {
        for (ZipArchive.Entry e : zip.entries()) {
            if (e.name().equals(name)) {
                return e;
            }
        }
        return null;
    }

    static ImageRejected problem(ZipArchive.Problem p) {
        Reason r = switch (p.kind()) {
            case SIZE -> Reason.SIZE_LIMIT;
            case NAME -> Reason.ENTRY_NAME;
            case DUPLICATE -> Reason.DUPLICATE_ENTRY;
            case MALFORMED -> Reason.ZIP_MALFORMED;
        };
        return new ImageRejected(r, p.entry(), p.getMessage());
    }
}
