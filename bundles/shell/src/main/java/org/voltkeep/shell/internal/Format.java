package org.voltkeep.shell.internal;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.TreeSet;
import java.util.stream.Collectors;

import org.voltkeep.charging.ChargerState;
import org.voltkeep.charging.ChargerStatus;
import org.voltkeep.charging.Fault;
import org.voltkeep.charging.LinkState;
import org.voltkeep.charging.Reply;
import org.voltkeep.sessions.SessionRecord;
import org.voltkeep.update.BootSlots;
import org.voltkeep.update.UpdateStatus;

/** Turns statuses, replies and sessions into the few lines a person reads in the shell. */
final class Format {
    private Format() {
    }

    static String status(Optional<ChargerStatus> status, LinkState link) {
        if (status.isEmpty()) {
            return "no status from safety\nlink       " + link + " (the application domain does not reach safety)";
        }
        ChargerStatus s = status.get();
        StringBuilder sb = new StringBuilder();
        line(sb, "state", s.state() + "  " + describe(s.state()) + (s.charging() ? ", charging" : ""));
        line(sb, "contactor", contactor(s));
        line(sb, "current", amps(s.currentMilliamps()) + " of " + amps(s.limitMilliamps()) + " limit (set by " + s.limitSource() + ")"
                + (s.cableMilliamps() > 0 ? ", cable " + amps(s.cableMilliamps()) : ", no cable"));
        line(sb, "power", String.format(Locale.ROOT, "%.2f kW, hottest %.1f °C", s.powerWatts() / 1000.0, s.temperatureDeciC() / 10.0));
        line(sb, "session", session(s));
        line(sb, "faults", faults(s));
        line(sb, "link", "app to safety " + link + ", safety hears app " + s.link() + ", fallback " + s.fallback()
                + (s.selfTestPassed() ? "" : ", SELF-TEST FAILED"));
        return sb.toString().stripTrailing();
    }

    static String reply(Reply r, String whatWasDone) {
        if (r.accepted()) {
            return "ok: " + whatWasDone;
        }
        return "refused (" + r.code() + "): " + r.detail();
    }

    static String sessions(List<SessionRecord> recent, Optional<SessionRecord> open) {
        StringBuilder sb = new StringBuilder();
        open.ifPresent(o -> sb.append("running  ").append(session(o)).append('\n'));
        if (recent.isEmpty()) {
            sb.append("no ended sessions recorded");
        }
        for (SessionRecord r : recent) {
            sb.append("ended    ").append(session(r)).append('\n');
        }
        return sb.toString().stripTrailing();
    }

    static String session(SessionRecord r) {
        return "#" + r.sessionId() + "  " + kWh(r.energyWh()) + "  " + minutes(r.durationMillis())
                + "  peak " + amps(r.peakCurrentMilliamps())
                + (r.ended() ? "  " + r.endReason() : "")
                + (r.idTag().isEmpty() ? "" : "  tag " + r.idTag())
                + (r.faults().isEmpty() ? "" : "  faults " + String.join(",", new TreeSet<>(r.faults())));
    }

    static String update(UpdateStatus u) {
        StringBuilder sb = new StringBuilder();
        line(sb, "update", u.status() + (u.forced() ? " (forced)" : "") + "  id " + u.requestId());
        line(sb, "source", u.source());
        if (!u.version().isEmpty()) {
            line(sb, "image", u.version() + " (security version " + u.securityVersion() + ") in slot " + u.slot());
        }
        if (!u.phase().isEmpty() && u.bytesDone() > 0) {
            line(sb, "progress", u.phase() + " " + (u.bytesTotal() > 0
                    ? String.format(Locale.ROOT, "%d%% (%s of %s)", u.bytesDone() * 100 / u.bytesTotal(), mb(u.bytesDone()), mb(u.bytesTotal()))
                    : mb(u.bytesDone())));
        }
        if (!u.reason().isEmpty()) {
            line(sb, "reason", u.reason());
        }
        line(sb, "started", u.started() + ", last change " + u.updated());
        return sb.toString().stripTrailing();
    }

    static String slots(BootSlots b) {
        StringBuilder sb = new StringBuilder();
        sb.append("booted ").append(b.booted()).append(", primary ").append(b.primary()).append(", anti-rollback floor ")
                .append(b.floor()).append(", trial ")
                .append(b.trial().map(t -> "slot " + t.slot() + " (" + t.attemptsLeft() + " boot attempts left)").orElse("none"))
                .append('\n');
        for (BootSlots.Slot s : b.slots()) {
            sb.append(String.format(Locale.ROOT, "slot %s  %-5s  %s", s.slot(), s.state(),
                    s.version().isEmpty() ? "-" : s.version() + " (security version " + s.securityVersion() + ")"));
            if (!s.manifestSha256().isEmpty()) {
                sb.append("  manifest ").append(s.manifestSha256(), 0, Math.min(16, s.manifestSha256().length()));
            }
            if (!s.why().isEmpty()) {
                sb.append("  ").append(s.why());
            }
            sb.append('\n');
        }
        return sb.toString().stripTrailing();
    }

    private static String mb(long bytes) {
        return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
    }

    static String amps(int milliamps) {
        return String.format(Locale.ROOT, "%.1f A", milliamps / 1000.0);
    }

    static String kWh(long wattHours) {
        return String.format(Locale.ROOT, "%.3f kWh", wattHours / 1000.0);
    }

    private static String minutes(long millis) {
        return String.format(Locale.ROOT, "%.1f min", millis / 60_000.0);
    }

    private static String contactor(ChargerStatus s) {
        String cmd = s.contactorCommanded() ? "closed" : "open";
        if (s.contactorCommanded() == s.contactorFeedback()) {
            return cmd;
        }
        return "commanded " + cmd + ", feedback " + (s.contactorFeedback() ? "closed" : "open") + " (mismatch)";
    }

    private static String session(ChargerStatus s) {
        String tag = s.idTag().isEmpty() ? "" : ", tag " + s.idTag();
        if (s.sessionId() == 0) {
            // An authorization before plug-in applies to the next session.
            return "none" + (s.authorized() ? ", next one authorized" + tag : "");
        }
        return "#" + s.sessionId() + ", " + kWh(s.sessionEnergyWh())
                + (s.authorized() ? ", authorized" + tag : ", not authorized")
                + (s.stopRequested() ? ", stop requested" : "");
    }

    private static String faults(ChargerStatus s) {
        if (s.activeFaults().isEmpty()) {
            return "none";
        }
        return s.activeFaults().stream().sorted()
                .map(f -> f.name() + " (" + clearedBy(f) + ")")
                .collect(Collectors.joining(", "));
    }

    private static String clearedBy(Fault f) {
        return switch (f.latch()) {
            case WHILE_PRESENT -> "clears when gone";
            case UNTIL_UNPLUG -> "clears on unplug";
            case UNTIL_RESET -> "needs reset";
            case PERMANENT -> "needs service";
        };
    }

    private static String describe(ChargerState state) {
        return switch (state) {
            case A -> "no vehicle";
            case B1 -> "vehicle connected, no current offered";
            case B2 -> "vehicle connected, current offered";
            case C1 -> "vehicle ready, no current offered";
            case C2 -> "vehicle ready, current offered";
            case D1 -> "ventilation requested, no current offered";
            case D2 -> "ventilation requested, current offered";
            case E -> "error: pilot shorted or no supply";
            case F -> "EVSE not available (fault)";
        };
    }

    private static void line(StringBuilder sb, String label, String value) {
        sb.append(String.format(Locale.ROOT, "%-10s %s%n", label, value));
    }
}
