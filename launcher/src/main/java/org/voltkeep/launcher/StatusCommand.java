package org.voltkeep.launcher;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.util.List;
import java.util.Set;

import org.voltkeep.charging.ChargerStatus;
import org.voltkeep.charging.json.StatusJson;
import org.voltkeep.json.Json;

/** {@code voltkeep status}: what the charger is doing, from the application domain's control socket. */
final class StatusCommand {
    static final String HELP = """
            usage: voltkeep status --device DIR [--json]

            Prints the charger's state, current and limit (with the constraint that set it),
            contactor, session, faults and link, as safety reports them, plus the booted
            slot, why it booted (primary, trial, fallback), and each slot in one line
            (voltkeep slots tells more). Exit code 1 when the device is not running.
            """;

    private final PrintStream out;
    private final PrintStream err;

    StatusCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    int run(List<String> argv) throws UsageException {
        Args a = Args.parse("status", argv, Set.of("device"), Set.of("json"));
        a.noPositionals("status");
        DeviceLayout device = new DeviceLayout(a.requiredPath("status", "device"));
        device.requireDevice();
        Json.Obj slot = slotInfo(device);
        Json.Obj reply;
        try (JsonLineClient app = JsonLineClient.connect(device.appSocket())) {
            reply = app.call(Json.object().put("cmd", "status"));
        } catch (IOException e) {
            if (a.flag("json")) {
                out.println(Json.object().put("running", false).put("error", e.getMessage()).put("slot", slot).writePretty());
            } else {
                err.println("voltkeep status: the device is not running (" + e.getMessage() + ")");
                out.println("slot: " + slot.string("slot", "?") + " (primary; not running)");
                out.println("slots: " + slot.string("slots", "?"));
            }
            return 1;
        }
        if (a.flag("json")) {
            out.println(Json.object().put("running", true).put("slot", slot).put("app", reply).writePretty());
            return 0;
        }
        out.println("slot " + slot.string("slot", "?") + ", image " + slot.string("imageVersion", "?") + ", "
                + slot.string("trustMode", "?") + " trust, root of trust " + slot.string("rootOfTrust", "?")
                + ", link " + reply.string("link", "?"));
        out.println("booted: " + slot.string("bootReason", "?")
                + (slot.has("trialStatus") && slot.get("trialStatus") instanceof Json.Str t ? "; trial: " + t.value() : ""));
        if (slot.has("fallbacks") && slot.get("fallbacks") instanceof Json.Arr f && f.size() > 0) {
            for (int i = 0; i < f.size(); i++) {
                out.println("  passed over: " + f.string(i));
            }
        }
        out.println("slots: " + slot.string("slots", "?"));
        if (reply.has("status") && reply.get("status") instanceof Json.Obj so) {
            ChargerStatus s = StatusJson.read(so);
            out.println(ScenarioDriver.line(s.boardMillis(), s));
            out.printf("meter %d Wh, temperature %.1f °C, cable %s, self-test %s, fallback %s%n",
                    s.meterEnergyWh(), s.temperatureDeciC() / 10.0,
                    s.cableMilliamps() == 0 ? "none" : (s.cableMilliamps() / 1000) + " A",
                    s.selfTestPassed() ? "passed" : "FAILED", s.fallback());
        } else {
            out.println("no status from safety yet (the link is " + reply.string("link", "?") + ")");
        }
        return 0;
    }

    /**
     * What booted, as the running supervisor recorded it (the primary slot when no
     * launcher runs), and the slots in one line.
     */
    private static Json.Obj slotInfo(DeviceLayout device) {
        Json.Obj o = Json.object();
        try {
            BootState st = BootState.read(device);
            o.put("slot", st.primarySlot());
            StringBuilder line = new StringBuilder();
            for (Slot s : Slot.values()) {
                BootState.SlotRecord r = st.slot(s);
                line.append(line.length() == 0 ? "" : ", ").append(s).append(' ').append(r.state().id())
                        .append(r.image().map(i -> " " + i.version()).orElse(""))
                        .append(s == st.primary() ? " (primary)" : "");
            }
            st.trial().ifPresent(t -> line.append("; slot ").append(t.slot()).append(" on trial, ")
                    .append(t.attemptsLeft()).append(" attempts left"));
            o.put("slots", line.toString());
            if (SlotsCommand.bootedSlot(device).isPresent()) {
                Json.Obj sup = Json.parseObject(Files.readString(device.supervisorState()));
                for (String k : new String[] {"slot", "bootReason", "fallbacks", "trial", "trialStatus", "imageVersion",
                        "securityVersion", "manifestSha256", "trustMode", "rootOfTrust"}) {
                    if (sup.has(k)) {
                        o.put(k, sup.get(k));
                    }
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            o.put("error", e.getMessage());
        }
        return o;
    }
}
