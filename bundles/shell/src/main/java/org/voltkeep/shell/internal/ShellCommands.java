package org.voltkeep.shell.internal;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.voltkeep.charging.ChargingService;
import org.voltkeep.charging.LimitRequest;
import org.voltkeep.charging.LinkState;
import org.voltkeep.charging.Reply;
import org.voltkeep.charging.StopReason;
import org.voltkeep.json.Json;
import org.voltkeep.sessions.SessionLog;
import org.voltkeep.update.UpdateException;
import org.voltkeep.update.UpdateRequest;
import org.voltkeep.update.UpdateService;
import org.voltkeep.update.UpdateStatus;

/**
 * Gogo commands in scope {@code voltkeep}. Plain public methods returning the
 * text to print, so the bundle needs nothing from Gogo and tests call them
 * directly. Both services are optional: the shell is most useful when something
 * is missing, and then it says what.
 */
@Component(
        configurationPid = ShellCommands.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL,
        service = ShellCommands.class,
        property = {
            "osgi.command.scope=voltkeep",
            "osgi.command.function=status",
            "osgi.command.function=authorize",
            "osgi.command.function=stop",
            "osgi.command.function=limit",
            "osgi.command.function=clearlimit",
            "osgi.command.function=reset",
            "osgi.command.function=sessions",
            "osgi.command.function=plug",
            "osgi.command.function=unplug",
            "osgi.command.function=update",
            "osgi.command.function=slots"
        })
@Designate(ocd = Config.class)
public final class ShellCommands {
    static final String PID = "org.voltkeep.shell";
    static final String DEFAULT_CABLE = "A32";
    static final int DEFAULT_SESSIONS = 10;
    private static final Pattern CABLE = Pattern.compile("[A-Za-z0-9]{1,8}");
    private static final String NO_LINK = "not sent: no charging service in this domain (link client not running)";

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile ChargingService charging;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile SessionLog sessionLog;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile UpdateService updateService;

    private final Supplier<ChargingService> chargingSource;
    private final Supplier<SessionLog> sessionSource;
    private final Supplier<UpdateService> updateSource;
    private volatile Settings settings;

    /** For Declarative Services. */
    public ShellCommands() {
        this.chargingSource = () -> charging;
        this.sessionSource = () -> sessionLog;
        this.updateSource = () -> updateService;
    }

    ShellCommands(Supplier<ChargingService> charging, Supplier<SessionLog> sessions, Supplier<UpdateService> updates,
            Settings settings) {
        this.chargingSource = charging;
        this.sessionSource = sessions;
        this.updateSource = updates;
        this.settings = settings;
    }

    @Activate
    @Modified
    void configure(Config config, BundleContext context) {
        settings = Settings.from(config, context.getProperty(Settings.RUN_DIR_PROPERTY));
    }

    /** State, contactor, current and limit, session, faults and link in a few lines. */
    public String status() {
        ChargingService s = chargingSource.get();
        if (s == null) {
            return Format.status(Optional.empty(), LinkState.DISCONNECTED);
        }
        return Format.status(s.status(), s.linkState());
    }

    public String authorize(String idTag) {
        return request(s -> s.authorize(idTag), "authorized '" + idTag + "'");
    }

    public String stop() {
        return request(s -> s.stop(StopReason.LOCAL), "stop requested");
    }

    /** A limit in amperes ("10.5") for the configured time to live. */
    public String limit(String amps) {
        return limit(amps, (int) settings.limitTtl().toSeconds());
    }

    /** A limit in amperes ("10.5") for the given seconds. */
    public String limit(String amps, int ttlSeconds) {
        int milliamps;
        try {
            BigDecimal a = new BigDecimal(amps.trim());
            if (a.signum() < 0 || a.compareTo(BigDecimal.valueOf(LimitRequest.MAX_MILLIAMPS, 3)) > 0) {
                return "not sent: " + amps + " A is outside 0.." + LimitRequest.MAX_MILLIAMPS / 1000 + " A";
            }
            milliamps = a.movePointRight(3).setScale(0, RoundingMode.HALF_UP).intValueExact();
        } catch (NumberFormatException | ArithmeticException e) {
            return "not sent: '" + amps + "' is not a number of amperes (example: limit 10.5)";
        }
        long maxTtl = LimitRequest.MAX_TTL.toSeconds();
        if (ttlSeconds < 1 || ttlSeconds > maxTtl) {
            return "not sent: time to live " + ttlSeconds + " s is outside 1.." + maxTtl + " s";
        }
        Settings st = settings;
        LimitRequest r = new LimitRequest(st.claimId(), st.priority(), milliamps, Duration.ofSeconds(ttlSeconds));
        return request(s -> s.setLimit(r), "limit " + Format.amps(milliamps) + " for " + ttlSeconds + " s (claim "
                + st.claimId() + ", priority " + st.priority() + ")");
    }

    /** Clears the shell's own limit. */
    public String clearlimit() {
        return clearlimit(settings.claimId());
    }

    public String clearlimit(String claimId) {
        if (!LimitRequest.validClaimId(claimId)) {
            return "not sent: claim id '" + claimId + "' must be 1..32 of A-Z a-z 0-9 . _ -";
        }
        return request(s -> s.clearLimit(claimId), "limit of claim " + claimId + " cleared");
    }

    /** Asks safety to clear faults that latch until reset. */
    public String reset() {
        return request(ChargingService::resetFaults, "fault reset requested");
    }

    public String sessions() {
        return sessions(DEFAULT_SESSIONS);
    }

    public String sessions(int max) {
        if (max < 1) {
            return "max " + max + " must be at least 1";
        }
        SessionLog log = sessionSource.get();
        if (log == null) {
            return "no session log in this domain (session recorder not running)";
        }
        return Format.sessions(log.recent(max), log.open());
    }

    /** Plugs the simulated vehicle in with a {@value #DEFAULT_CABLE} cable. */
    public String plug() {
        return plug(DEFAULT_CABLE);
    }

    /** Plugs the simulated vehicle in with the given cable rating (A13, A20, A32, A63). */
    public String plug(String cable) {
        if (!CABLE.matcher(cable).matches()) {
            return "'" + cable + "' is not a cable rating (A13, A20, A32, A63)";
        }
        String c = cable.toUpperCase(Locale.ROOT);
        return sim(Json.object().put("cmd", "plug").put("cable", c), "vehicle plugged in (cable " + c + ")");
    }

    public String unplug() {
        return sim(Json.object().put("cmd", "unplug"), "vehicle unplugged");
    }

    static final String UPDATE_USAGE = "usage: update status | update install <absolute file path or https URL> [--force]";
    private static final String NO_AGENT = "no update agent in this domain";

    /** {@code update status}: the current or latest update. */
    public String update(String action) {
        if (!action.equals("status")) {
            return UPDATE_USAGE;
        }
        UpdateService u = updateSource.get();
        if (u == null) {
            return NO_AGENT;
        }
        return u.status().map(Format::update).orElse("no update on this device yet");
    }

    /** {@code update install <source>}: waits for the charger to be idle before it activates. */
    public String update(String action, String source) {
        return install(action, source, false);
    }

    /** {@code update install <source> --force}: stops a running session first. */
    public String update(String action, String source, String flag) {
        if (!flag.equals("--force")) {
            return "unknown option '" + flag + "'; " + UPDATE_USAGE;
        }
        return install(action, source, true);
    }

    private String install(String action, String source, boolean force) {
        if (!action.equals("install")) {
            return UPDATE_USAGE;
        }
        UpdateRequest request;
        try {
            request = UpdateRequest.of(source, force);
        } catch (IllegalArgumentException e) {
            return "not started: " + e.getMessage();
        }
        UpdateService u = updateSource.get();
        if (u == null) {
            return "not started: " + NO_AGENT;
        }
        try {
            UpdateStatus s = u.start(request);
            return "update " + s.requestId() + " started" + (s.forced() ? " (forced: a running session is stopped first)" : "")
                    + "; follow it with: update status\n" + Format.update(s);
        } catch (UpdateException e) {
            return "not started: " + e.getMessage();
        }
    }

    /** The launcher's slots: which booted, which is primary, which is on trial. */
    public String slots() {
        UpdateService u = updateSource.get();
        if (u == null) {
            return NO_AGENT;
        }
        try {
            return Format.slots(u.slots());
        } catch (UpdateException e) {
            return "cannot read the slots: " + e.getMessage();
        }
    }

    private String request(Function<ChargingService, Reply> call, String whatWasDone) {
        ChargingService s = chargingSource.get();
        if (s == null) {
            return NO_LINK;
        }
        return Format.reply(call.apply(s), whatWasDone);
    }

    private String sim(Json.Obj request, String whatWasDone) {
        Settings st = settings;
        SimClient.Result r = new SimClient(st.simSocket(), st.simTimeout()).call(request);
        if (r instanceof SimClient.Failure f) {
            return f.message();
        }
        Json.Obj reply = ((SimClient.Answer) r).reply();
        try {
            if (reply.bool("ok")) {
                return "ok: " + whatWasDone;
            }
            return "simulator refused: " + reply.string("error", "(no reason given)");
        } catch (IllegalArgumentException e) {
            return "simulator sent an unexpected answer: " + e.getMessage();
        }
    }
}
