package org.voltkeep.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which slot boots, what each slot holds and whether one is on trial: one small
 * versioned text file ({@code DEVICE/boot-state}), replaced atomically through
 * {@link FileOps#replace}. Format 2 (below); format 1 ({@code format=1},
 * {@code primary=a|b}) is read and migrated: its primary slot becomes good, its image
 * details are recorded at that slot's next verified boot.
 *
 * <pre>
 * format=2
 * primary=a                      the committed slot that boots by default (a or b)
 * trial=b | none                 a slot activated for its trial boot
 * trial.attempts-left=2          boots left for the trial to pass its health check
 * trial.previous=a               the slot to roll back to
 * a.state=good|bad|trial|empty   one group per slot a, b, r
 * a.version=1.0.0                image version, security version and manifest hash
 * a.security-version=1           (required for trial, absent for empty)
 * a.manifest-sha256=…
 * a.why=…                        why the slot is in this state (one line)
 * a.time=2026-11-22T10:15:30Z    when it got there
 * </pre>
 *
 * Reading is strict: unknown or repeated keys, missing keys and values out of range
 * are refused with the line they are on.
 */
record BootState(Slot primary, Optional<Trial> trial, Map<Slot, SlotRecord> slots) {
    static final int FORMAT = 2;
    static final int MAX_ATTEMPTS = 100;
    static final int MAX_WHY = 500;
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final Pattern VERSION = Pattern.compile("[0-9A-Za-z.+-]{1,64}");

    /** The image a slot holds, as its verified manifest says. */
    record ImageInfo(String version, long securityVersion, String manifestSha256) {
        ImageInfo {
            if (!VERSION.matcher(version).matches()) {
                throw new IllegalArgumentException("version '" + version + "' is not a version");
            }
            if (securityVersion < 0) {
                throw new IllegalArgumentException("security version " + securityVersion + " is negative");
            }
            if (!SHA256.matcher(manifestSha256).matches()) {
                throw new IllegalArgumentException("manifest sha256 '" + manifestSha256 + "' is not 64 lower-case hex digits");
            }
        }

        static ImageInfo of(BootVerifier.Boot boot) {
            return new ImageInfo(boot.image().manifest().version(), boot.image().manifest().securityVersion(),
                    boot.image().manifestSha256());
        }
    }

    /** One slot: its state, the image it holds (unknown only for a slot migrated from format 1 or a bad one), why and when. */
    record SlotRecord(SlotState state, Optional<ImageInfo> image, String why, Instant time) {
        SlotRecord {
            why = oneLine(why);
            if (state == SlotState.TRIAL && image.isEmpty()) {
                throw new IllegalArgumentException("a slot on trial needs its image's version, security version and manifest");
            }
            if (state == SlotState.EMPTY && image.isPresent()) {
                throw new IllegalArgumentException("an empty slot has no image");
            }
        }

        static SlotRecord empty(String why, Instant time) {
            return new SlotRecord(SlotState.EMPTY, Optional.empty(), why, time);
        }

        static SlotRecord of(SlotState state, ImageInfo image, String why, Instant time) {
            return new SlotRecord(state, Optional.of(image), why, time);
        }

        SlotRecord bad(String reason, Instant when) {
            return new SlotRecord(SlotState.BAD, image, reason, when);
        }
    }

    /** A slot activated for its trial boot. */
    record Trial(Slot slot, int attemptsLeft, Slot previous) {
        Trial {
            if (!slot.updatable()) {
                throw new IllegalArgumentException("slot r never boots on trial");
            }
            if (attemptsLeft < 0 || attemptsLeft > MAX_ATTEMPTS) {
                throw new IllegalArgumentException("trial attempts left " + attemptsLeft + " is outside 0.." + MAX_ATTEMPTS);
            }
            if (previous == slot) {
                throw new IllegalArgumentException("trial slot " + slot + " cannot roll back to itself");
            }
        }

        Trial attemptUsed() {
            return new Trial(slot, attemptsLeft - 1, previous);
        }
    }

    BootState {
        if (!primary.updatable()) {
            throw new IllegalArgumentException("primary slot '" + primary + "' is not a or b");
        }
        Map<Slot, SlotRecord> copy = new EnumMap<>(Slot.class);
        copy.putAll(slots);
        for (Slot s : Slot.values()) {
            if (!copy.containsKey(s)) {
                throw new IllegalArgumentException("no record of slot " + s);
            }
        }
        if (copy.get(Slot.R).state() == SlotState.TRIAL) {
            throw new IllegalArgumentException("slot r never boots on trial");
        }
        if (trial.isPresent() && copy.get(trial.get().slot()).state() != SlotState.TRIAL) {
            throw new IllegalArgumentException("trial slot " + trial.get().slot() + " is " + copy.get(trial.get().slot()).state().id()
                    + ", not trial");
        }
        slots = java.util.Collections.unmodifiableMap(copy);
    }

    /** A new device: slot A holds the image installed with it, B and R nothing yet. */
    static BootState initial(ImageInfo a, String why, Instant now) {
        Map<Slot, SlotRecord> m = new EnumMap<>(Slot.class);
        m.put(Slot.A, SlotRecord.of(SlotState.GOOD, a, why, now));
        m.put(Slot.B, SlotRecord.empty("nothing installed yet", now));
        m.put(Slot.R, SlotRecord.empty("no recovery image installed", now));
        return new BootState(Slot.A, Optional.empty(), m);
    }

    /** The primary slot's name; the domains read it to know which slot they boot. */
    String primarySlot() {
        return primary.id();
    }

    SlotRecord slot(Slot s) {
        return slots.get(s);
    }

    BootState with(Slot s, SlotRecord r) {
        Map<Slot, SlotRecord> m = new EnumMap<>(slots);
        m.put(s, r);
        Optional<Trial> t = trial.filter(tr -> tr.slot() != s || r.state() == SlotState.TRIAL);
        return new BootState(primary, t, m);
    }

    BootState withPrimary(Slot s) {
        return new BootState(s, trial, slots);
    }

    BootState withTrial(Optional<Trial> t) {
        return new BootState(primary, t, slots);
    }

    static BootState read(DeviceLayout device) throws IOException {
        String text;
        try {
            text = Files.readString(device.bootState(), StandardCharsets.UTF_8);
        } catch (java.nio.charset.MalformedInputException e) {
            throw new IOException(device.bootState() + ": not UTF-8 text", e);
        }
        return parse(text, device.bootState().toString());
    }

    /** Parses boot-state text; {@code name} goes into every error message. */
    static BootState parse(String text, String name) throws IOException {
        Map<String, String> kv = new LinkedHashMap<>();
        Map<String, Integer> lineOf = new LinkedHashMap<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            int eq = line.indexOf('=');
            if (eq <= 0) {
                throw new IOException(name + " line " + (i + 1) + ": expected key=value, found '" + clip(line) + "'");
            }
            String key = line.substring(0, eq).strip();
            if (kv.put(key, line.substring(eq + 1).strip()) != null) {
                throw new IOException(name + " line " + (i + 1) + ": '" + key + "' appears twice");
            }
            lineOf.put(key, i + 1);
        }
        String format = kv.get("format");
        if (format == null) {
            throw new IOException(name + ": no 'format' line");
        }
        int v;
        try {
            v = Integer.parseInt(format);
        } catch (NumberFormatException e) {
            throw new IOException(name + ": format '" + clip(format) + "' is not a number");
        }
        try {
            if (v == 1) {
                return migrateFormat1(kv, name, lineOf);
            }
            if (v != FORMAT) {
                throw new IOException(name + ": format " + v + " is not supported (this launcher reads 1 and " + FORMAT + ")");
            }
            return parseFormat2(kv, name, lineOf);
        } catch (IllegalArgumentException e) {
            throw new IOException(name + ": " + e.getMessage(), e);
        }
    }

    private static BootState migrateFormat1(Map<String, String> kv, String name, Map<String, Integer> lineOf) throws IOException {
        onlyKeys(kv, Set.of("format", "primary"), name, lineOf);
        Slot primary = updatableSlot(required(kv, "primary", name), "primary");
        Instant now = Instant.now();
        Map<Slot, SlotRecord> m = new EnumMap<>(Slot.class);
        for (Slot s : Slot.values()) {
            m.put(s, s == primary
                    ? new SlotRecord(SlotState.GOOD, Optional.empty(), "migrated from boot-state format 1 (its image is recorded at its next verified boot)", now)
                    : SlotRecord.empty("boot-state format 1 recorded nothing for this slot", now));
        }
        return new BootState(primary, Optional.empty(), m);
    }

    private static BootState parseFormat2(Map<String, String> kv, String name, Map<String, Integer> lineOf) throws IOException {
        java.util.Set<String> allowed = new java.util.HashSet<>(Set.of("format", "primary", "trial", "trial.attempts-left", "trial.previous"));
        for (Slot s : Slot.values()) {
            for (String k : new String[] {"state", "version", "security-version", "manifest-sha256", "why", "time"}) {
                allowed.add(s.id() + "." + k);
            }
        }
        onlyKeys(kv, allowed, name, lineOf);
        Slot primary = updatableSlot(required(kv, "primary", name), "primary");
        Map<Slot, SlotRecord> m = new EnumMap<>(Slot.class);
        for (Slot s : Slot.values()) {
            m.put(s, slotRecord(kv, s, name));
        }
        String t = required(kv, "trial", name);
        Optional<Trial> trial;
        if (t.equals("none")) {
            if (kv.containsKey("trial.attempts-left") || kv.containsKey("trial.previous")) {
                throw new IOException(name + " line " + lineOf.getOrDefault("trial.attempts-left", lineOf.get("trial.previous"))
                        + ": trial details without a trial (trial=none)");
            }
            trial = Optional.empty();
        } else {
            trial = Optional.of(new Trial(updatableSlot(t, "trial"),
                    (int) number(required(kv, "trial.attempts-left", name), "trial.attempts-left", MAX_ATTEMPTS),
                    slotNamed(required(kv, "trial.previous", name), "trial.previous")));
        }
        return new BootState(primary, trial, m);
    }

    private static SlotRecord slotRecord(Map<String, String> kv, Slot s, String name) throws IOException {
        String p = s.id() + ".";
        SlotState state = SlotState.parse(required(kv, p + "state", name));
        boolean any = kv.containsKey(p + "version") || kv.containsKey(p + "security-version") || kv.containsKey(p + "manifest-sha256");
        Optional<ImageInfo> image = Optional.empty();
        if (any) {
            image = Optional.of(new ImageInfo(required(kv, p + "version", name),
                    number(required(kv, p + "security-version", name), p + "security-version", Long.MAX_VALUE),
                    required(kv, p + "manifest-sha256", name)));
        }
        Instant time;
        String ts = required(kv, p + "time", name);
        try {
            time = Instant.parse(ts);
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(p + "time '" + clip(ts) + "' is not an ISO-8601 instant");
        }
        try {
            return new SlotRecord(state, image, required(kv, p + "why", name), time);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("slot " + s + ": " + e.getMessage(), e);
        }
    }

    void write(DeviceLayout device, FileOps files) throws IOException {
        files.replace(device.bootState(), text().getBytes(StandardCharsets.UTF_8));
    }

    /** The file's text, in a fixed order. */
    String text() {
        StringBuilder sb = new StringBuilder("# voltkeep boot state: replaced atomically by the launcher, not edited by hand\n");
        sb.append("format=").append(FORMAT).append('\n');
        sb.append("primary=").append(primary).append('\n');
        if (trial.isPresent()) {
            sb.append("trial=").append(trial.get().slot()).append('\n');
            sb.append("trial.attempts-left=").append(trial.get().attemptsLeft()).append('\n');
            sb.append("trial.previous=").append(trial.get().previous()).append('\n');
        } else {
            sb.append("trial=none\n");
        }
        for (Slot s : Slot.values()) {
            SlotRecord r = slots.get(s);
            String p = s.id() + ".";
            sb.append(p).append("state=").append(r.state().id()).append('\n');
            r.image().ifPresent(i -> sb.append(p).append("version=").append(i.version()).append('\n')
                    .append(p).append("security-version=").append(i.securityVersion()).append('\n')
                    .append(p).append("manifest-sha256=").append(i.manifestSha256()).append('\n'));
            sb.append(p).append("why=").append(r.why()).append('\n');
            sb.append(p).append("time=").append(r.time()).append('\n');
        }
        return sb.toString();
    }

    private static void onlyKeys(Map<String, String> kv, Set<String> allowed, String name, Map<String, Integer> lineOf) throws IOException {
        for (String k : kv.keySet()) {
            if (!allowed.contains(k)) {
                throw new IOException(name + " line " + lineOf.get(k) + ": unknown key '" + clip(k) + "'");
            }
        }
    }

    private static String required(Map<String, String> kv, String key, String name) throws IOException {
        String v = kv.get(key);
        if (v == null) {
            throw new IOException(name + ": no '" + key + "' line");
        }
        return v;
    }

    private static Slot updatableSlot(String v, String key) {
        Slot s = slotNamed(v, key);
        if (!s.updatable()) {
            throw new IllegalArgumentException(key + " slot '" + v + "' is not a or b");
        }
        return s;
    }

    private static Slot slotNamed(String v, String key) {
        try {
            return Slot.parse(v);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + " slot '" + clip(v) + "' is not a or b" + (key.equals("trial.previous") ? " or r" : ""));
        }
    }

    private static long number(String v, String key, long max) {
        try {
            long n = Long.parseLong(v);
            if (n < 0 || n > max) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " '" + clip(v) + "' is not a whole number in 0.." + max);
        }
    }

    /** A reason fits one line of the file: control characters become spaces, and it is capped. */
    static String oneLine(String s) {
        String t = s.replaceAll("\\p{Cntrl}", " ").strip();
        return t.length() <= MAX_WHY ? t : t.substring(0, MAX_WHY - 1) + "…";
    }

    private static String clip(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "…";
    }
}
