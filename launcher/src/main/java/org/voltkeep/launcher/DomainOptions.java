package org.voltkeep.launcher;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import org.voltkeep.image.BundleDomain;

/**
 * What the supervisor tells a domain process: which domain, which device, and which slot
 * with the SHA-256 of the manifest the launcher verified there. The domain reads its
 * bundles from that slot pinned to that manifest; it never chooses a slot itself.
 */
record DomainOptions(BundleDomain domain, Path device, String slot, String manifestSha256, String board, double speed,
        boolean shell) {
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

    DomainOptions {
        Slot.parse(slot);
        if (!SHA256_HEX.matcher(manifestSha256).matches()) {
            throw new IllegalArgumentException("manifest SHA-256 '" + manifestSha256 + "' is not 64 lower-case hex digits");
        }
    }

    static DomainOptions parse(List<String> argv) throws UsageException {
        Args a = Args.parse("domain", argv, Set.of("domain", "device", "slot", "manifest-sha256", "board", "speed"), Set.of("shell"));
        a.noPositionals("domain");
        BundleDomain d = BundleDomains.parse(a.value("domain").orElseThrow(() -> new UsageException("--domain safety|app is required")));
        String slot = a.value("slot").orElseThrow(() -> new UsageException("--slot a|b|r is required"));
        String pin = a.value("manifest-sha256").orElseThrow(() -> new UsageException("--manifest-sha256 HEX is required"));
        try {
            return new DomainOptions(d, a.requiredPath("domain", "device"), slot, pin, a.value("board").orElse("sim"),
                    a.positiveNumber("domain", "speed", 1.0), a.flag("shell"));
        } catch (IllegalArgumentException e) {
            throw new UsageException("domain: " + e.getMessage());
        }
    }

    List<String> toArgs() {
        List<String> args = new java.util.ArrayList<>(List.of("--domain", domain.id(), "--device", device.toString(),
                "--slot", slot, "--manifest-sha256", manifestSha256, "--board", board, "--speed", Double.toString(speed)));
        if (shell) {
            args.add("--shell");
        }
        return args;
    }
}
