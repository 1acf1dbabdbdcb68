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
            slot and its bundle versions. Exit code 1 when the device is not running.
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
                out.println("slot: " + slot.string("slot", "?"));
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

    /** What booted, as the supervisor recorded it at its verified boot. */
    private static Json.Obj slotInfo(DeviceLayout device) {
        Json.Obj o = Json.object();
        try {
            o.put("slot", BootState.read(device).primarySlot());
            if (Files.exists(device.supervisorState())) {
                Json.Obj st = Json.parseObject(Files.readString(device.supervisorState()));
                for (String k : new String[] {"imageVersion", "securityVersion", "manifestSha256", "trustMode", "rootOfTrust"}) {
                    if (st.has(k)) {
                        o.put(k, st.get(k));
                    }
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            o.put("error", e.getMessage());
        }
        return o;
    }
}
