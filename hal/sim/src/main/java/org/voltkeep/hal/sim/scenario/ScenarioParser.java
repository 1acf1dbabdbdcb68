package org.voltkeep.hal.sim.scenario;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;

import org.voltkeep.charging.ChargerState;
import org.voltkeep.charging.Fault;
import org.voltkeep.charging.LimitRequest;
import org.voltkeep.charging.StopReason;
import org.voltkeep.hal.CableRating;
import org.voltkeep.hal.Temperature;
import org.voltkeep.hal.sim.EvProfile;
import org.voltkeep.hal.sim.SimFault;
import org.voltkeep.json.Json;
import org.voltkeep.json.JsonException;

/**
 * Reads scenario files. Strict on purpose: unknown keys, wrong types, unknown
 * names and negative times are errors that name the path ({@code $.timeline[2].at}),
 * so a typo in a scenario cannot silently change what it tests.
 */
public final class ScenarioParser {
    /** Longest scenario accepted: a week of board time. */
    static final long MAX_SECONDS = 7L * 24 * 3600;
    static final int MAX_ENTRIES = 1000;

    private static final String[] TOP_KEYS = {"name", "description", "ev", "cable", "ambientCelsius",
        "endAfterSeconds", "settleSeconds", "timeline", "expect"};
    private static final String[] EV_KEYS = {"name", "maxCurrentAmps", "phases", "batteryWh", "initialSocPercent",
        "targetSocPercent", "reactionMillis", "diodePresent", "requestsVentilation"};
    private static final String[] EXPECT_KEYS = {"finalState", "faults", "minEnergyWh", "maxEnergyWh",
        "maxReactionMillis", "contactorOpenAtEnd", "linkFallbackSeen", "maxCurrentAmpsDuringFallback", "appRestarted"};
    private static final List<String> ENTRY_COMMON = List.of("at", "when", "delay", "do", "note");

    private ScenarioParser() {
    }

    public static Scenario parse(String json) {
        return parse(Json.parseObject(json));
    }

    public static Scenario parse(Json.Obj o) {
        o.onlyKeys(TOP_KEYS);
        String name = o.string("name");
        if (name.isBlank()) {
            throw new JsonException(o.path("name") + ": must not be blank");
        }
        String description = o.string("description", "");
        EvProfile ev = o.has("ev") ? parseEv(o.obj("ev"), EvProfile.standard().withName(name + "-ev"))
                : EvProfile.standard();
        CableRating cable = o.has("cable") ? cable(o, "cable") : CableRating.A32;
        Temperature ambient = o.has("ambientCelsius") ? celsius(o, "ambientCelsius") : Temperature.ofCelsius(25);
        Duration endAfter = o.has("endAfterSeconds") ? seconds(o, "endAfterSeconds") : Duration.ofHours(1);
        if (endAfter.isZero()) {
            throw new JsonException(o.path("endAfterSeconds") + ": must be more than 0");
        }
        Duration settle = o.has("settleSeconds") ? seconds(o, "settleSeconds") : Scenario.DEFAULT_SETTLE;
        Json.Arr tl = o.arr("timeline");
        if (tl.size() > MAX_ENTRIES) {
            throw new JsonException(o.path("timeline") + ": " + tl.size() + " entries, at most " + MAX_ENTRIES);
        }
        List<Scenario.Entry> entries = new ArrayList<>();
        Duration lastAt = Duration.ZERO;
        for (int i = 0; i < tl.size(); i++) {
            Scenario.Entry e = entry(tl.obj(i), i, tl.path(i));
            if (e.trigger() instanceof Scenario.At at) {
                if (at.at().compareTo(lastAt) < 0) {
                    throw new JsonException(tl.path(i) + ".at: " + seconds(at.at()) + " s is earlier than the "
                            + seconds(lastAt) + " s of an entry before it (entries fire in the order written)");
                }
                lastAt = at.at();
            }
            entries.add(e);
        }
        Expectations expect = o.has("expect") ? expectations(o.obj("expect")) : Expectations.NONE;
        return new Scenario(name, description, ev, cable, ambient, endAfter, settle, entries, expect);
    }

    /** Reads an EV object; keys it leaves out come from {@code defaults}. */
    public static EvProfile parseEv(Json.Obj o, EvProfile defaults) {
        o.onlyKeys(EV_KEYS);
        int maxMa = defaults.maxCurrentMilliamps();
        if (o.has("maxCurrentAmps")) {
            BigDecimal amps = BigDecimal.valueOf(o.number("maxCurrentAmps"));
            if (amps.signum() <= 0 || amps.compareTo(BigDecimal.valueOf(80)) > 0) {
                throw new JsonException(o.path("maxCurrentAmps") + ": " + amps.stripTrailingZeros().toPlainString()
                        + " A is outside 0..80 A");
            }
            maxMa = amps.movePointRight(3).setScale(0, java.math.RoundingMode.HALF_UP).intValueExact();
        }
        try {
            return new EvProfile(
                    o.string("name", defaults.name()),
                    maxMa,
                    (int) (o.has("phases") ? o.integer("phases", 1, 3) : defaults.phases()),
                    o.has("batteryWh") ? o.integer("batteryWh", 1, 1_000_000) : defaults.batteryWh(),
                    (int) (o.has("initialSocPercent") ? o.integer("initialSocPercent", 0, 100) : defaults.initialSocPercent()),
                    (int) (o.has("targetSocPercent") ? o.integer("targetSocPercent", 0, 100) : defaults.targetSocPercent()),
                    o.bool("diodePresent", defaults.diodePresent()),
                    o.bool("requestsVentilation", defaults.requestsVentilation()),
                    (int) (o.has("reactionMillis") ? o.integer("reactionMillis", 0, 5000) : defaults.reactionMillis()));
        } catch (JsonException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new JsonException(pathOf(o) + ": " + e.getMessage());
        }
    }

    /** A cable rating by name (A13, A20, A32, A63); NONE is not a cable. */
    public static CableRating cable(Json.Obj o, String key) {
        CableRating c = o.enumValue(key, CableRating.class);
        if (c == CableRating.NONE) {
            throw new JsonException(o.path(key) + ": NONE is not a cable rating (use A13, A20, A32 or A63)");
        }
        return c;
    }

    private static Scenario.Entry entry(Json.Obj o, int index, String path) {
        if (!o.has("do")) {
            throw new JsonException(path + ".do: missing (what the entry does)");
        }
        String verb = o.string("do");
        Scenario.Trigger trigger = trigger(o, path);
        Action action = switch (verb) {
            case "plug" -> {
                only(o, "ev", "cable");
                EvProfile ev = o.has("ev") ? parseEv(o.obj("ev"), EvProfile.standard()) : null;
                yield new Action.Plug(Optional.ofNullable(ev), o.has("cable") ? Optional.of(cable(o, "cable")) : Optional.empty());
            }
            case "unplug" -> {
                only(o);
                yield new Action.Unplug();
            }
            case "ev-pause" -> {
                only(o);
                yield new Action.EvPause();
            }
            case "ev-resume" -> {
                only(o);
                yield new Action.EvResume();
            }
            case "fault" -> {
                only(o, "fault");
                yield new Action.InjectFault(o.enumValue("fault", SimFault.class));
            }
            case "clear-fault" -> {
                only(o, "fault");
                yield new Action.ClearFault(o.enumValue("fault", SimFault.class));
            }
            case "temperature" -> {
                only(o, "celsius");
                yield new Action.SetTemperature(celsius(o, "celsius"));
            }
            case "authorize" -> {
                only(o, "idTag");
                String tag = o.string("idTag");
                if (tag.isEmpty() || tag.length() > 64) {
                    throw new JsonException(o.path("idTag") + ": must be 1..64 characters");
                }
                yield new Action.Authorize(tag);
            }
            case "stop" -> {
                only(o, "reason");
                yield new Action.Stop(o.has("reason") ? o.enumValue("reason", StopReason.class) : StopReason.REMOTE);
            }
            case "limit" -> {
                only(o, "claimId", "priority", "amps", "ttlSeconds");
                String claim = o.string("claimId");
                int priority = (int) (o.has("priority") ? o.integer("priority", 0, LimitRequest.MAX_PRIORITY) : 50);
                double amps = o.number("amps");
                if (amps < 0 || amps > LimitRequest.MAX_MILLIAMPS / 1000.0) {
                    throw new JsonException(o.path("amps") + ": " + amps + " A is outside 0..80 A");
                }
                Duration ttl = seconds(o, "ttlSeconds");
                try {
                    yield new Action.Limit(new LimitRequest(claim, priority, (int) Math.round(amps * 1000), ttl));
                } catch (IllegalArgumentException e) {
                    throw new JsonException(path + ": " + e.getMessage());
                }
            }
            case "clear-limit" -> {
                only(o, "claimId");
                String claim = o.string("claimId");
                if (!LimitRequest.validClaimId(claim)) {
                    throw new JsonException(o.path("claimId") + ": '" + claim + "' must be 1..32 of A-Z a-z 0-9 . _ -");
                }
                yield new Action.ClearLimit(claim);
            }
            case "reset-faults" -> {
                only(o);
                yield new Action.ResetFaults();
            }
            case "kill-app" -> {
                only(o);
                yield new Action.KillApp();
            }
            case "silence-link" -> {
                only(o);
                yield new Action.SilenceLink();
            }
            case "restore-link" -> {
                only(o);
                yield new Action.RestoreLink();
            }
            case "await-app" -> {
                only(o);
                yield new Action.AwaitApp();
            }
            default -> throw new JsonException(o.path("do") + ": unknown action '" + verb + "' (known: plug, unplug, "
                    + "ev-pause, ev-resume, fault, clear-fault, temperature, authorize, stop, limit, clear-limit, "
                    + "reset-faults, kill-app, silence-link, restore-link, await-app)");
        };
        return new Scenario.Entry(index, trigger, action, o.write());
    }

    private static Scenario.Trigger trigger(Json.Obj o, String path) {
        boolean at = o.has("at");
        boolean when = o.has("when");
        if (at == when) {
            throw new JsonException(path + ": needs exactly one of 'at' (seconds) or 'when' (a condition)");
        }
        if (at) {
            if (o.has("delay")) {
                throw new JsonException(o.path("delay") + ": only allowed with 'when'");
            }
            return new Scenario.At(seconds(o, "at"));
        }
        String w = o.string("when");
        Scenario.Condition c = Scenario.Condition.fromWire(w);
        if (c == null) {
            throw new JsonException(o.path("when") + ": unknown condition '" + w
                    + "' (known: charging-started, ev-full, contactor-open, unplugged)");
        }
        return new Scenario.When(c, o.has("delay") ? seconds(o, "delay") : Duration.ZERO);
    }

    private static Expectations expectations(Json.Obj o) {
        o.onlyKeys(EXPECT_KEYS);
        Optional<Set<Fault>> faults = Optional.empty();
        if (o.has("faults")) {
            Json.Arr a = o.arr("faults");
            Set<Fault> set = EnumSet.noneOf(Fault.class);
            for (int i = 0; i < a.size(); i++) {
                String n = a.string(i);
                try {
                    set.add(Fault.valueOf(n));
                } catch (IllegalArgumentException e) {
                    throw new JsonException(a.path(i) + ": '" + n + "' is not one of " + java.util.Arrays.toString(Fault.values()));
                }
            }
            faults = Optional.of(set);
        }
        OptionalLong min = o.has("minEnergyWh") ? OptionalLong.of(o.integer("minEnergyWh", 0, Long.MAX_VALUE)) : OptionalLong.empty();
        OptionalLong max = o.has("maxEnergyWh") ? OptionalLong.of(o.integer("maxEnergyWh", 0, Long.MAX_VALUE)) : OptionalLong.empty();
        if (min.isPresent() && max.isPresent() && min.getAsLong() > max.getAsLong()) {
            throw new JsonException(o.path("minEnergyWh") + ": " + min.getAsLong() + " is more than maxEnergyWh " + max.getAsLong());
        }
        return new Expectations(
                o.has("finalState") ? Optional.of(o.enumValue("finalState", ChargerState.class)) : Optional.empty(),
                faults,
                min,
                max,
                o.has("maxReactionMillis") ? OptionalLong.of(o.integer("maxReactionMillis", 0, 60_000)) : OptionalLong.empty(),
                o.has("contactorOpenAtEnd") ? Optional.of(o.bool("contactorOpenAtEnd")) : Optional.empty(),
                o.has("linkFallbackSeen") ? Optional.of(o.bool("linkFallbackSeen")) : Optional.empty(),
                o.has("maxCurrentAmpsDuringFallback") ? OptionalInt.of((int) o.integer("maxCurrentAmpsDuringFallback", 0, 80))
                        : OptionalInt.empty(),
                o.has("appRestarted") ? Optional.of(o.bool("appRestarted")) : Optional.empty());
    }

    private static void only(Json.Obj o, String... extra) {
        List<String> allowed = new ArrayList<>(ENTRY_COMMON);
        allowed.addAll(List.of(extra));
        o.onlyKeys(allowed.toArray(String[]::new));
    }

    private static Duration seconds(Json.Obj o, String key) {
        BigDecimal s = BigDecimal.valueOf(o.number(key));
        if (s.signum() < 0) {
            throw new JsonException(o.path(key) + ": " + s.stripTrailingZeros().toPlainString() + " s is negative");
        }
        if (s.compareTo(BigDecimal.valueOf(MAX_SECONDS)) > 0) {
            throw new JsonException(o.path(key) + ": " + s.stripTrailingZeros().toPlainString() + " s is more than a week");
        }
        return Duration.ofMillis(s.movePointRight(3).setScale(0, java.math.RoundingMode.HALF_UP).longValueExact());
    }

    private static Temperature celsius(Json.Obj o, String key) {
        double c = o.number(key);
        if (c < -40 || c > 120) {
            throw new JsonException(o.path(key) + ": " + c + " °C is outside -40..120 °C");
        }
        return Temperature.ofCelsius(c);
    }

    private static String seconds(Duration d) {
        return BigDecimal.valueOf(d.toMillis()).movePointLeft(3).stripTrailingZeros().toPlainString();
    }

    /** The path of an object, from the path of one of its keys. */
    private static String pathOf(Json.Obj o) {
        String p = o.path("x");
        return p.substring(0, p.length() - 2);
    }
}
