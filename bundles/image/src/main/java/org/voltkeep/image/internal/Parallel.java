package org.voltkeep.image.internal;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.voltkeep.image.ImageRejected;
import org.voltkeep.image.ImageRejected.Reason;

/**
 * Worker threads for one verification, one per core, gone when it is closed. With a
 * single core the work runs on the caller's thread as it is submitted. The threads are
 * daemons: a verification never keeps a process alive.
 */
public final class Parallel implements AutoCloseable {
    private final ExecutorService pool;

    private Parallel(ExecutorService pool) {
        this.pool = pool;
    }

    public static Parallel onEveryCore() {
        int cores = Runtime.getRuntime().availableProcessors();
        if (cores <= 1) {
            return new Parallel(null);
        }
        AtomicInteger n = new AtomicInteger();
        return new Parallel(Executors.newFixedThreadPool(cores, r -> {
            Thread t = new Thread(r, "voltkeep-verify-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        }));
    }

    public <T> Future<T> submit(Callable<T> task) {
        if (pool != null) {
            return pool.submit(task);
        }
        try {
            return CompletableFuture.completedFuture(task.call());
        } catch (Exception e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** The task's result; what it threw is thrown here. */
    public static <T> T join(Future<T> f) throws ImageRejected {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ImageRejected(Reason.IO_ERROR, null, "verification interrupted");
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException r) {
                throw r;
            }
            if (c instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException("verification task failed: " + c, c);
        }
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }
}
