package org.voltkeep.launcher;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import org.voltkeep.image.BundleDomain;

/** What the supervisor tells a domain process; {@code slot} is the slot the launcher chose and verified. */
record DomainOptions(BundleDomain domain, Path device, String board, double speed, boolean shell, String slot) {

    static DomainOptions parse(List<String> argv) throws UsageException {
        Args a = Args.parse("domain", argv, Set.of("domain", "device", "board", "speed", "slot"),
                Set.of("shell"));
        a.noPositionals("domain");
        BundleDomain d = BundleDomains.parse(a.value("domain").orElseThrow(() -> new UsageException("--domain safety|app is required")));
        String slot = a.value("slot").orElseThrow(() -> new UsageException("--slot a|b|r is required"));
        try {
            Slot.parse(slot);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--slot: " + e.getMessage());
        }
        return new DomainOptions(d, a.requiredPath("domain", "device"), a.value("board").orElse("sim"),
                a.positiveNumber("domain", "speed", 1.0), a.flag("shell"), slot);
    }

    List<String> toArgs() {
        List<String> args = new java.util.ArrayList<>(List.of("--domain", domain.id(), "--device", device.toString(),
                "--board", board, "--speed", Double.toString(speed), "--slot", slot));
        if (shell) {
            args.add("--shell");
        }
        return args;
    }
}
