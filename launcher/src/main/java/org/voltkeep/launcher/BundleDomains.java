package org.voltkeep.launcher;

import org.voltkeep.image.BundleDomain;

/** Command-line parsing of a domain name. */
final class BundleDomains {
    private BundleDomains() {
    }

    static BundleDomain parse(String s) throws UsageException {
        try {
            return BundleDomain.of(s);
        } catch (IllegalArgumentException e) {
            throw new UsageException("unknown domain '" + s + "' (safety or app)");
        }
    }
}
