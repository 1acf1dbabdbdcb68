package org.voltkeep.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

/**
 * How a new slot's trial boot is judged: {@code DEVICE/data/config/boot.properties}
 * (optional; read at every boot, so a change applies to the next trial).
 *
 * <pre>
 * trial.attempts=3          boots a trial may use before it is rolled back (1..100)
 * trial.window-seconds=60   from the start of a trial boot until both domains are ready
 *                           and the health check passed (5..3600)
 * trial.max-app-exits=3     application domain exits during a trial that make it a crash loop (1..100)
 * </pre>
 *
 * Strict: an unknown or repeated key or a value out of range is refused with its line,
 * and the launcher does not boot on a guess.
 */
record BootConfig(int attempts, Duration window, int maxAppExits) {
    static final BootConfig DEFAULTS = new BootConfig(3, Duration.ofSeconds(60), 3);

    static Path file(DeviceLayout device) {
        return device.data().resolve("config").resolve("boot.properties");
    }

    static BootConfig read(DeviceLayout device) throws UsageException {
        Path f = file(device);
        if (!Files.exists(f)) {
            return DEFAULTS;
        }
        String text;
        try {
            text = Files.readString(f, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UsageException(f + ": cannot read: " + e.getMessage());
        }
        int attempts = DEFAULTS.attempts();
        long window = DEFAULTS.window().toSeconds();
        int exits = DEFAULTS.maxAppExits();
        Set<String> seen = new HashSet<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String where = f + " line " + (i + 1);
            int eq = line.indexOf('=');
            if (eq <= 0) {
                throw new UsageException(where + ": expected key=value, found '" + line + "'");
            }
            String key = line.substring(0, eq).strip();
            String value = line.substring(eq + 1).strip();
            if (!seen.add(key)) {
                throw new UsageException(where + ": '" + key + "' appears twice");
            }
            switch (key) {
                case "trial.attempts" -> attempts = (int) number(where, key, value, 1, BootState.MAX_ATTEMPTS);
                case "trial.window-seconds" -> window = number(where, key, value, 5, 3600);
                case "trial.max-app-exits" -> exits = (int) number(where, key, value, 1, 100);
                default -> throw new UsageException(where + ": unknown key '" + key
                        + "' (known: trial.attempts, trial.window-seconds, trial.max-app-exits)");
            }
        }
        return new BootConfig(attempts, Duration.ofSeconds(window), exits);
    }

    private static long number(String where, String key, String value, long min, long max) throws UsageException {
        try {
            long n = Long.parseLong(value);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException(where + ": " + key + " must be a whole number in " + min + ".." + max + ", not '" + value + "'");
    }
}
