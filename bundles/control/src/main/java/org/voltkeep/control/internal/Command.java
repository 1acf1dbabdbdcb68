package org.voltkeep.control.internal;

import org.voltkeep.charging.LimitRequest;
import org.voltkeep.update.UpdateRequest;

/** The commands of the control socket, one per JSON line. */
sealed interface Command permits Command.Status, Command.Authorize, Command.Stop, Command.Limit, Command.ClearLimit,
        Command.ResetFaults, Command.Sessions, Command.Watch, Command.Ping, Command.Health, Command.UpdateInstall,
        Command.UpdateStatusQuery {

    /** {@code {"cmd":"status"}} */
    record Status() implements Command {
    }

    /** {@code {"cmd":"authorize","idTag":"demo"}} */
    record Authorize(String idTag) implements Command {
    }

    /** {@code {"cmd":"stop"}} */
    record Stop() implements Command {
    }

    /** {@code {"cmd":"limit","claimId":"cli","priority":10,"amps":10.5,"ttlSeconds":60}} */
    record Limit(LimitRequest request) implements Command {
    }

    /** {@code {"cmd":"clear-limit","claimId":"cli"}} */
    record ClearLimit(String claimId) implements Command {
    }

    /** {@code {"cmd":"reset-faults"}} */
    record ResetFaults() implements Command {
    }

    /** {@code {"cmd":"sessions","max":10}} */
    record Sessions(int max) implements Command {
    }

    /** {@code {"cmd":"watch"}}: status events until the client closes. */
    record Watch() implements Command {
    }

    /** {@code {"cmd":"ping"}} */
    record Ping() implements Command {
    }

    /** {@code {"cmd":"health"}}: the checks a trial boot must pass. */
    record Health() implements Command {
    }

    /** {@code {"cmd":"update-install","source":"/path/or/https-url","force":false}} */
    record UpdateInstall(UpdateRequest request) implements Command {
    }

    /** {@code {"cmd":"update-status"}} */
    record UpdateStatusQuery() implements Command {
    }
}
