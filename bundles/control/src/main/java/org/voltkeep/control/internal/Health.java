package org.voltkeep.control.internal;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import org.voltkeep.charging.ChargerStatus;
import org.voltkeep.charging.ChargingService;
import org.voltkeep.charging.LinkState;
import org.voltkeep.health.HealthCheck;
import org.voltkeep.health.HealthResult;
import org.voltkeep.json.Json;

/**
 * The {@code health} command: the domain's own checks (link to safety up, safety's
 * self-test passed, board answering) and every registered {@link HealthCheck}. The
 * launcher's trial boot of a new slot asks this until it is healthy; an image adds
 * checks by shipping bundles that register {@code HealthCheck} services. A check
 * that throws or takes longer than the time limit fails.
 */
final class Health {
    private final Supplier<ChargingService> charging;
    private final BoardClock board;
    private final Supplier<List<HealthCheck>> checks;
    private final Duration checkTimeout;
    private final Executor executor;

    Health(Supplier<ChargingService> charging, BoardClock board, Supplier<List<HealthCheck>> checks, Duration checkTimeout,
            Executor executor) {
        this.charging = charging;
        this.board = board;
        this.checks = checks;
        this.checkTimeout = checkTimeout;
        this.executor = executor;
    }

    Json.Obj report() {
        Json.Arr list = Json.array();
        boolean healthy = true;
        ChargingService c = charging.get();
        Optional<ChargerStatus> status = c == null ? Optional.empty() : c.status();
        healthy &= add(list, "link", link(c));
        healthy &= add(list, "safety-self-test", status.isEmpty() ? HealthResult.fail("no status from safety")
                : status.get().selfTestPassed() ? HealthResult.pass("safety's start-up self-test passed")
                : HealthResult.fail("safety's start-up self-test failed"));
        healthy &= add(list, "board", board.check());
        for (HealthCheck h : checks.get()) {
            healthy &= add(list, name(h), run(h));
        }
        return Json.object().put("ok", true).put("healthy", healthy).put("checks", list);
    }

    private static HealthResult link(ChargingService c) {
        if (c == null) {
            return HealthResult.fail("no charging service (link client not running)");
        }
        LinkState l = c.linkState();
        return l == LinkState.UP ? HealthResult.pass("link to safety UP") : HealthResult.fail("link to safety " + l);
    }

    private static boolean add(Json.Arr list, String name, HealthResult r) {
        list.add(Json.object().put("name", name).put("passed", r.passed()).put("detail", r.detail()));
        return r.passed();
    }

    private static String name(HealthCheck h) {
        try {
            String n = h.name();
            return n == null || n.isBlank() ? h.getClass().getName() : n;
        } catch (RuntimeException e) {
            return h.getClass().getName();
        }
    }

    private HealthResult run(HealthCheck h) {
        CompletableFuture<HealthResult> f = CompletableFuture.supplyAsync(h::check, executor);
        try {
            HealthResult r = f.get(checkTimeout.toMillis(), TimeUnit.MILLISECONDS);
            return r == null ? HealthResult.fail("the check gave no result") : r;
        } catch (TimeoutException e) {
            f.cancel(true);
            return HealthResult.fail("no answer within " + checkTimeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            return HealthResult.fail("the check failed: " + e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return HealthResult.fail("interrupted");
        }
    }
}
