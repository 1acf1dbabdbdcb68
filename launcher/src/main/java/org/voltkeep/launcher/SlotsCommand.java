package org.voltkeep.launcher;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.voltkeep.json.Json;
import org.voltkeep.launcher.BootState.SlotRecord;

/** {@code voltkeep slots}: what each slot holds and why, from the boot state (running or not). */
final class SlotsCommand {
    static final String HELP = """
            usage: voltkeep slots --device DIR [--json]

            Lists slots a, b and r (recovery): state (good, bad, trial, empty), image version,
            security version, manifest hash and why the slot is in that state; which slot is
            primary, which booted (when the device runs), a slot on trial with its attempts
            left, and the anti-rollback floor. Reads DIR/boot-state, so it works whether or
            not the device is running.
            """;

    private final PrintStream out;
    private final PrintStream err;

    SlotsCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    int run(List<String> argv) throws UsageException {
        Args a = Args.parse("slots", argv, Set.of("device", "board"), Set.of("json"));
        a.noPositionals("slots");
        DeviceLayout device = new DeviceLayout(a.requiredPath("slots", "device"));
        device.requireDevice();
        SlotStore store = new SlotStore(device, a.value("board").orElse("sim"), FileOps.REAL, java.time.Clock.systemUTC());
        BootState st;
        long floor;
        try {
            st = store.state();
            floor = store.floor();
        } catch (IOException e) {
            err.println("voltkeep slots: " + e.getMessage());
            return 1;
        }
        Optional<Slot> booted = bootedSlot(device);
        if (a.flag("json")) {
            out.print(SlotsView.json(st, floor, booted).writePretty());
            return 0;
        }
        for (Slot s : Slot.values()) {
            SlotRecord r = st.slot(s);
            String image = r.image().map(i -> String.format("%-12s security version %-3d manifest %s…", i.version(),
                    i.securityVersion(), i.manifestSha256().substring(0, 16))).orElse("");
            String marks = (s == st.primary() ? " (primary)" : "") + (booted.equals(Optional.of(s)) ? " (booted)" : "");
            out.printf("slot %s  %-5s  %s%s%n", s, r.state().id(), image, marks);
            out.printf("        %s: %s%n", r.time(), r.why());
        }
        out.println("trial: " + st.trial().map(t -> "slot " + t.slot() + ", " + t.attemptsLeft() + " attempts left, rolls back to slot "
                + t.previous()).orElse("none"));
        out.println("anti-rollback floor: security version " + floor);
        return 0;
    }

    /** The slot the running launcher booted, if a launcher is running this device. */
    static Optional<Slot> bootedSlot(DeviceLayout device) {
        try {
            if (!Files.exists(device.supervisorState())) {
                return Optional.empty();
            }
            Json.Obj st = Json.parseObject(Files.readString(device.supervisorState()));
            boolean alive = ProcessHandle.of(st.integer("launcherPid")).map(ProcessHandle::isAlive).orElse(false);
            return alive ? Optional.of(Slot.parse(st.string("slot"))) : Optional.empty();
        } catch (IOException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
