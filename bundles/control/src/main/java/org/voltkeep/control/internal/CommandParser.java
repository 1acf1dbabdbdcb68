package org.voltkeep.control.internal;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

import org.voltkeep.charging.LimitRequest;
import org.voltkeep.json.Json;
import org.voltkeep.json.JsonException;
import org.voltkeep.update.UpdateRequest;

/**
 * Parses one line of the control socket into a {@link Command}. Strict: unknown
 * keys are refused too, so a typo never silently becomes a default.
 */
final class CommandParser {
    static final List<String> COMMANDS = List.of(
            "status", "authorize", "stop", "limit", "clear-limit", "reset-faults", "sessions", "watch", "ping", "health",
            "update-install", "update-status");
    static final int DEFAULT_SESSIONS = 10;
    static final int MAX_SESSIONS = 1000;
    static final long MAX_TTL_SECONDS = LimitRequest.MAX_TTL.toSeconds();
    static final BigDecimal MAX_AMPS = BigDecimal.valueOf(LimitRequest.MAX_MILLIAMPS).movePointLeft(3);
    /** OCPP 2.0.1 id tokens are up to 36 characters; printable ASCII without blanks keeps logs readable. */
    private static final Pattern ID_TAG = Pattern.compile("[\\x21-\\x7E]{1,36}");

    private CommandParser() {
    }

    static Command parse(String line) throws CommandException {
        Json.Obj o;
        try {
            o = Json.parseObject(line);
        } catch (JsonException e) {
            throw new CommandException("malformed JSON: " + e.getMessage());
        }
        try {
            return command(o);
        } catch (JsonException e) {
            throw new CommandException(e.getMessage());
        }
    }

    private static Command command(Json.Obj o) throws CommandException {
        String cmd = o.string("cmd");
        switch (cmd) {
            case "status":
                o.onlyKeys("cmd");
                return new Command.Status();
            case "authorize":
                o.onlyKeys("cmd", "idTag");
                return new Command.Authorize(idTag(o));
            case "stop":
                o.onlyKeys("cmd");
                return new Command.Stop();
            case "limit":
                o.onlyKeys("cmd", "claimId", "priority", "amps", "ttlSeconds");
                return limit(o);
            case "clear-limit":
                o.onlyKeys("cmd", "claimId");
                return new Command.ClearLimit(claimId(o));
            case "reset-faults":
                o.onlyKeys("cmd");
                return new Command.ResetFaults();
            case "sessions":
                o.onlyKeys("cmd", "max");
                return new Command.Sessions(o.has("max") ? (int) o.integer("max", 1, MAX_SESSIONS) : DEFAULT_SESSIONS);
            case "watch":
                o.onlyKeys("cmd");
                return new Command.Watch();
            case "ping":
                o.onlyKeys("cmd");
                return new Command.Ping();
            case "health":
                o.onlyKeys("cmd");
                return new Command.Health();
            case "update-install":
                o.onlyKeys("cmd", "source", "force");
                return updateInstall(o);
            case "update-status":
                o.onlyKeys("cmd");
                return new Command.UpdateStatusQuery();
            default:
                throw new CommandException(o.path("cmd") + ": unknown command '" + cmd + "' (known: "
                        + String.join(", ", COMMANDS) + ")");
        }
    }

    private static Command.Limit limit(Json.Obj o) throws CommandException {
        String claimId = claimId(o);
        int priority = (int) o.integer("priority", 0, LimitRequest.MAX_PRIORITY);
        Json amps = o.get("amps");
        if (!(amps instanceof Json.Num n)) {
            throw new CommandException(o.path("amps") + ": expected a number of amperes, found " + amps.typeName());
        }
        BigDecimal a = n.value();
        if (a.signum() < 0 || a.compareTo(MAX_AMPS) > 0) {
            throw new CommandException(o.path("amps") + ": " + a.toPlainString() + " A is outside 0.." + MAX_AMPS.toPlainString() + " A");
        }
        int milliamps = a.movePointRight(3).setScale(0, RoundingMode.HALF_UP).intValueExact();
        long ttlSeconds = o.integer("ttlSeconds", 1, MAX_TTL_SECONDS);
        return new Command.Limit(new LimitRequest(claimId, priority, milliamps, Duration.ofSeconds(ttlSeconds)));
    }

    private static Command.UpdateInstall updateInstall(Json.Obj o) throws CommandException {
        String source = o.string("source");
        boolean force = o.bool("force", false);
        try {
            return new Command.UpdateInstall(UpdateRequest.of(source, force));
        } catch (IllegalArgumentException e) {
            throw new CommandException(o.path("source") + ": " + e.getMessage());
        }
    }

    private static String claimId(Json.Obj o) throws CommandException {
        String id = o.string("claimId");
        if (!LimitRequest.validClaimId(id)) {
            throw new CommandException(o.path("claimId") + ": '" + id + "' must be 1..32 of A-Z a-z 0-9 . _ -");
        }
        return id;
    }

    private static String idTag(Json.Obj o) throws CommandException {
        String tag = o.string("idTag");
        if (!ID_TAG.matcher(tag).matches()) {
            throw new CommandException(o.path("idTag") + ": must be 1..36 printable ASCII characters without blanks");
        }
        return tag;
    }
}
