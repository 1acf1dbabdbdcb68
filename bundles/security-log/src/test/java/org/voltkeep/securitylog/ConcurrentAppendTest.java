package org.voltkeep.securitylog;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voltkeep.json.Json;

/** Two writers at once must neither interleave lines nor fork the chain. */
class ConcurrentAppendTest {
    private static final int EACH = 200;

    @TempDir
    Path dir;

    @Test
    void twoThreadsSharingOneLog() throws Exception {
        SecurityLog log = new SecurityLog(dir.resolve("security/events.jsonl"), Clock.systemUTC());
        runThreads(log, log);
        assertIntact(log.file());
    }

    @Test
    void twoThreadsWithALogEachOnTheSameFile() throws Exception {
        Path file = dir.resolve("security/events.jsonl");
        runThreads(new SecurityLog(file, Clock.systemUTC()), new SecurityLog(file, Clock.systemUTC()));
        assertIntact(file);
    }

    private static void runThreads(SecurityLog first, SecurityLog second) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Void>> done = new ArrayList<>();
            done.add(pool.submit(writer(first, "t1", start)));
            done.add(pool.submit(writer(second, "t2", start)));
            start.countDown();
            for (Future<Void> f : done) {
                f.get(2, TimeUnit.MINUTES);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static Callable<Void> writer(SecurityLog log, String name, CountDownLatch start) {
        return () -> {
            start.await();
            for (int i = 0; i < EACH; i++) {
                log.append(SecurityEvent.INVALID_MESSAGES, name + " #" + i, Json.object().put("writer", name).put("i", i));
            }
            return null;
        };
    }

    @Test
    void twoProcesses() throws Exception {
        Path file = dir.resolve("data/security/events.jsonl");
        List<Process> children = new ArrayList<>();
        for (String name : List.of("p1", "p2")) {
            ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), AppendMain.class.getName(),
                    file.toString(), String.valueOf(EACH), name);
            pb.redirectErrorStream(true);
            pb.redirectOutput(dir.resolve(name + ".out").toFile());
            children.add(pb.start());
        }
        for (int i = 0; i < children.size(); i++) {
            Process p = children.get(i);
            boolean ended = p.waitFor(3, TimeUnit.MINUTES);
            if (!ended) {
                p.destroyForcibly();
            }
            assertThat(ended).as("child %d ended", i).isTrue();
            assertThat(p.exitValue()).as("child %d exit code; output: %s", i,
                    Files.readString(dir.resolve("p" + (i + 1) + ".out"))).isZero();
        }
        assertIntact(file);
    }

    private static void assertIntact(Path file) throws IOException {
        VerifyReport report = SecurityLog.verify(file);
        assertThat(report.ok()).as(report.summary()).isTrue();
        assertThat(report.tornTail()).isFalse();
        assertThat(report.records()).isEqualTo(2L * EACH);

        List<SecurityRecord> all = new SecurityLog(file, Clock.systemUTC()).since(0);
        assertThat(all).hasSize(2 * EACH);
        Set<Long> seqs = new HashSet<>();
        all.forEach(r -> seqs.add(r.seq()));
        assertThat(seqs).hasSize(2 * EACH);
        Map<String, List<Long>> byWriter = all.stream().collect(Collectors.groupingBy(
                r -> r.techInfo().orElseThrow().string("writer"),
                Collectors.mapping(r -> r.techInfo().orElseThrow().integer("i"), Collectors.toList())));
        assertThat(byWriter).hasSize(2);
        for (List<Long> numbers : byWriter.values()) {
            // each writer's own records keep their order
            assertThat(numbers).hasSize(EACH).isSorted();
        }
    }
}
