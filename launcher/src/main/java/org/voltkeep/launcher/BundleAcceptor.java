package org.voltkeep.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The one place where a slot's bundles are accepted for a domain before any
 * {@code installBundle}. Today it checks that the slot holds exactly the bundles
 * its list names for the domain, as regular files inside the slot, with a bundle
 * identity, and records each SHA-256. Signature and signer-role verification by the
 * root of trust is added here and nowhere else.
 */
final class BundleAcceptor {
    /** Proof of passage: only this class can create {@link AcceptedBundle}s. */
    static final class Token {
        private Token() {
        }
    }

    private static final Token TOKEN = new Token();
    /** No runtime bundle is near this; a larger file is refused before it is read. */
    static final long MAX_BUNDLE_BYTES = 64L * 1024 * 1024;

    List<AcceptedBundle> accept(DeviceLayout device, String slot, Domain domain) throws SlotRejectedException {
        Path dir = device.slotDomain(slot, domain);
        Path listFile = device.slot(slot).resolve("bundles.list");
        BundleCatalog catalog;
        try {
            catalog = BundleCatalog.read(listFile);
        } catch (IOException e) {
            throw new SlotRejectedException(slot, "cannot read its bundle list: " + e.getMessage());
        }
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.sorted().toList();
        } catch (IOException e) {
            throw new SlotRejectedException(slot, "no " + domain.id() + " bundle folder: " + e.getMessage());
        }
        List<AcceptedBundle> accepted = new ArrayList<>();
        Set<String> seen = new java.util.HashSet<>();
        Set<String> expected = new java.util.TreeSet<>();
        catalog.domainsBySymbolicName().forEach((bsn, ds) -> {
            if (ds.contains(domain)) {
                expected.add(bsn);
            }
        });
        for (Path f : files) {
            String name = f.getFileName().toString();
            if (!Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS) || !name.endsWith(".jar")) {
                throw new SlotRejectedException(slot, domain.id() + "/" + name + " is not a bundle file");
            }
            byte[] bytes;
            try {
                if (Files.size(f) > MAX_BUNDLE_BYTES) {
                    throw new SlotRejectedException(slot, domain.id() + "/" + name + " is larger than " + MAX_BUNDLE_BYTES + " bytes");
                }
                bytes = Files.readAllBytes(f);
            } catch (IOException e) {
                throw new SlotRejectedException(slot, "cannot read " + domain.id() + "/" + name + ": " + e.getMessage());
            }
            BundleJar id;
            try {
                id = BundleJar.read(domain.id() + "/" + name, bytes);
            } catch (IOException e) {
                throw new SlotRejectedException(slot, e.getMessage());
            }
            if (!seen.add(id.symbolicName())) {
                throw new SlotRejectedException(slot, domain.id() + "/" + name + " is a second copy of " + id.symbolicName());
            }
            if (!expected.remove(id.symbolicName())) {
                throw new SlotRejectedException(slot, domain.id() + "/" + name + " (" + id.symbolicName()
                        + ") is not listed for the " + domain.id() + " domain");
            }
            String location = "voltkeep:slot/" + slot + "/" + domain.id() + "/" + name;
            accepted.add(new AcceptedBundle(TOKEN, location, id, bytes, sha256(bytes)));
        }
        if (!expected.isEmpty()) {
            throw new SlotRejectedException(slot, "missing " + domain.id() + " bundles: " + String.join(", ", expected));
        }
        return accepted;
    }

    /** Install order: the order of the catalog, so contracts come before their users. */
    static List<AcceptedBundle> inCatalogOrder(List<AcceptedBundle> bundles, BundleCatalog catalog) {
        List<String> order = new ArrayList<>(catalog.domainsBySymbolicName().keySet());
        return bundles.stream()
                .sorted((a, b) -> Integer.compare(order.indexOf(a.identity().symbolicName()), order.indexOf(b.identity().symbolicName())))
                .toList();
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }
}
