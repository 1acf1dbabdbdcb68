package org.voltkeep.control.internal;

import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.voltkeep.charging.ChargerStatus;
import org.voltkeep.charging.ChargingService;
import org.voltkeep.charging.ErrorCode;
import org.voltkeep.charging.LinkState;
import org.voltkeep.charging.Reply;
import org.voltkeep.charging.StopReason;
import org.voltkeep.charging.json.StatusJson;
import org.voltkeep.json.Json;
import org.voltkeep.sessions.SessionLog;
import org.voltkeep.sessions.SessionRecord;
import org.voltkeep.update.UpdateException;
import org.voltkeep.update.UpdateRequest;
import org.voltkeep.update.UpdateService;
import org.voltkeep.update.json.UpdateStatusJson;

/**
 * Carries out one command and builds its answer. The services are looked up per
 * command, because either may come and go while the socket stays open.
 */
final class CommandHandler {
    private static final Logger LOG = LoggerFactory.getLogger(CommandHandler.class);

    private final Supplier<ChargingService> charging;
    private final Supplier<SessionLog> sessions;
    private final Supplier<UpdateService> updates;
    private final Health health;
    private final String domain;

    /**
     * @param charging the charging service, or null while there is none
     * @param sessions the session log, or null while there is none
     * @param updates  the update agent, or null while there is none
     * @param health   the health checks
     * @param domain   this domain's name for {@code ping}
     */
    CommandHandler(Supplier<ChargingService> charging, Supplier<SessionLog> sessions, Supplier<UpdateService> updates,
            Health health, String domain) {
        this.charging = charging;
        this.sessions = sessions;
        this.updates = updates;
        this.health = health;
        this.domain = domain;
    }

    Json.Obj handle(Command c) {
        try {
            if (c instanceof Command.Status) {
                return status();
            } else if (c instanceof Command.Authorize a) {
                return request(s -> s.authorize(a.idTag()));
            } else if (c instanceof Command.Stop) {
                return request(s -> s.stop(StopReason.LOCAL));
            } else if (c instanceof Command.Limit l) {
                return request(s -> s.setLimit(l.request()));
            } else if (c instanceof Command.ClearLimit cl) {
                return request(s -> s.clearLimit(cl.claimId()));
            } else if (c instanceof Command.ResetFaults) {
                return request(ChargingService::resetFaults);
            } else if (c instanceof Command.Sessions s) {
                return sessions(s.max());
            } else if (c instanceof Command.Ping) {
                return ok().put("domain", domain);
            } else if (c instanceof Command.Health) {
                return health.report();
            } else if (c instanceof Command.UpdateInstall u) {
                return updateInstall(u.request());
            } else if (c instanceof Command.UpdateStatusQuery) {
                return updateStatus();
            } else if (c instanceof Command.Watch) {
                // the server streams the events; the command itself only answers ok
                return ok();
            }
            throw new IllegalStateException("no handler for " + c);
        } catch (RuntimeException e) {
            LOG.warn("control command {} failed: {}", c, e.toString(), e);
            return refused(ErrorCode.INTERNAL, "internal error: " + e);
        }
    }

    private Json.Obj status() {
        ChargingService s = charging.get();
        Optional<ChargerStatus> status = s == null ? Optional.empty() : s.status();
        LinkState link = s == null ? LinkState.DISCONNECTED : s.linkState();
        SessionLog log = sessions.get();
        Optional<SessionRecord> open = log == null ? Optional.empty() : log.open();
        return ok()
                .put("link", link)
                .put("status", status.<Json>map(StatusJson::write).orElse(null))
                .put("openSession", open.<Json>map(CommandHandler::session).orElse(null));
    }

    private Json.Obj request(Function<ChargingService, Reply> call) {
        ChargingService s = charging.get();
        if (s == null) {
            return refused(ErrorCode.NOT_CONNECTED, "no charging service in this domain (link client not running)");
        }
        Reply r = call.apply(s);
        if (r.accepted()) {
            return ok();
        }
        return refused(r.code(), r.detail());
    }

    private Json.Obj sessions(int max) {
        SessionLog log = sessions.get();
        if (log == null) {
            return refused(ErrorCode.NOT_CONNECTED, "no session log in this domain (session recorder not running)");
        }
        Json.Arr list = Json.array();
        log.recent(max).forEach(r -> list.add(session(r)));
        return ok().put("sessions", list);
    }

    private Json.Obj updateInstall(UpdateRequest request) {
        UpdateService u = updates.get();
        if (u == null) {
            return refused(ErrorCode.NOT_CONNECTED, "no update agent in this domain");
        }
        try {
            return ok().put("update", UpdateStatusJson.write(u.start(request)));
        } catch (UpdateException e) {
            return refused(ErrorCode.NOT_ALLOWED, e.getMessage());
        }
    }

    private Json.Obj updateStatus() {
        UpdateService u = updates.get();
        if (u == null) {
            return refused(ErrorCode.NOT_CONNECTED, "no update agent in this domain");
        }
        return ok().put("update", u.status().<Json>map(UpdateStatusJson::write).orElse(null));
    }

    static Json.Obj session(SessionRecord r) {
        return r.toJson();
    }

    static Json.Obj ok() {
        return Json.object().put("ok", true);
    }

    static Json.Obj refused(ErrorCode code, String error) {
        return Json.object().put("ok", false).put("code", code).put("error", error);
    }

    /** The answer to a line that is not a command (no code: nothing reached safety). */
    static Json.Obj badLine(String error) {
        return Json.object().put("ok", false).put("error", error);
    }
}
