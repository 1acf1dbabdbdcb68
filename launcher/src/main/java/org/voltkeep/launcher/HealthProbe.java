package org.voltkeep.launcher;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import org.voltkeep.json.Json;
import org.voltkeep.json.JsonException;

/**
 * Asks the application domain whether the running image is healthy: {@code {"cmd":"health"}}
 * on its control socket, answered with {@code {"ok":true,"healthy":bool,"checks":[{"name",
 * "passed","detail"}]}} (link up, safety self-test passed, HAL answering, and every health
 * check the image's bundles register). An application domain that does not know the command
 * (an image older than it) is judged on its {@code status} reply: link up, a status from
 * safety (the HAL answers), self-test passed.
 */
final class HealthProbe {
    record Check(String name, boolean passed, String detail) {
    }

    record Result(boolean healthy, List<Check> checks) {
        /** The failing checks, or all of them when none failed, in one line. */
        String summary() {
            List<Check> failing = checks.stream().filter(c -> !c.passed()).toList();
            List<Check> shown = failing.isEmpty() ? checks : failing;
            if (shown.isEmpty()) {
                return healthy ? "healthy" : "not healthy (no checks reported)";
            }
            return shown.stream().map(c -> c.name() + (c.passed() ? " passed" : " FAILED") + (c.detail().isEmpty() ? "" : " (" + c.detail() + ")"))
                    .collect(Collectors.joining(", "));
        }

        static Result unreachable(String why) {
            return new Result(false, List.of(new Check("control-socket", false, why)));
        }
    }

    private HealthProbe() {
    }

    /** One probe; never blocks longer than {@code timeout}, never throws. */
    static Result check(Path appSocket, Duration timeout) {
        JsonLineClient client;
        try {
            client = JsonLineClient.connect(appSocket);
        } catch (IOException e) {
            return Result.unreachable(e.getMessage());
        }
        Thread closer = new Thread(() -> {
            try {
                Thread.sleep(timeout.toMillis());
                client.close();
            } catch (InterruptedException | IOException e) {
                // done in time, or already closed
            }
        }, "voltkeep-health-timeout");
        closer.setDaemon(true);
        closer.start();
        try {
            Json.Obj reply = client.call(Json.object().put("cmd", "health"));
            if (!reply.bool("ok", false) && reply.string("error", "").contains("unknown command 'health'")) {
                return fromStatus(client.call(Json.object().put("cmd", "status")));
            }
            return fromHealth(reply);
        } catch (IOException e) {
            return Result.unreachable("no answer within " + timeout.toMillis() + " ms: " + e.getMessage());
        } catch (JsonException e) {
            return Result.unreachable("malformed health reply: " + e.getMessage());
        } finally {
            closer.interrupt();
            try {
                client.close();
            } catch (IOException e) {
                // nothing left to do with it
            }
        }
    }

    static Result fromHealth(Json.Obj reply) {
        if (!reply.bool("ok", false)) {
            return Result.unreachable("health refused: " + reply.string("error", reply.write()));
        }
        List<Check> checks = new ArrayList<>();
        if (reply.has("checks")) {
            Json.Arr arr = reply.arr("checks");
            for (int i = 0; i < arr.size(); i++) {
                Json.Obj c = arr.obj(i);
                checks.add(new Check(c.string("name"), c.bool("passed"), c.string("detail", "")));
            }
        }
        boolean healthy = reply.bool("healthy") && checks.stream().allMatch(Check::passed);
        return new Result(healthy, checks);
    }

    static Result fromStatus(Json.Obj reply) {
        String link = reply.string("link", "?");
        boolean haveStatus = reply.has("status") && reply.get("status") instanceof Json.Obj;
        boolean selfTest = haveStatus && reply.obj("status").bool("selfTestPassed", false);
        List<Check> checks = List.of(
                new Check("link", "UP".equals(link), "link " + link),
                new Check("hal", haveStatus, haveStatus ? "safety reports the board" : "no status from safety"),
                new Check("safety-self-test", selfTest, selfTest ? "passed" : "not passed"));
        return new Result(checks.stream().allMatch(Check::passed), checks);
    }
}
