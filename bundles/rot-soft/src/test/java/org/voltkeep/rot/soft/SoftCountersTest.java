package org.voltkeep.rot.soft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voltkeep.rot.api.MonotonicCounters;
import org.voltkeep.rot.api.Provisioning;
import org.voltkeep.rot.api.RootOfTrust;
import org.voltkeep.rot.api.RotException;
import org.voltkeep.rot.api.TrustMode;
import org.voltkeep.rot.api.testing.TestPki;

/** The counter invariants of {@link MonotonicCounters}, tried against the soft backend's file. */
class SoftCountersTest {

    @TempDir
    Path device;

    private final SoftRootOfTrustBackend backend = new SoftRootOfTrustBackend(Clock.systemUTC());
    private Path countersFile;

    @BeforeEach
    void provision() throws RotException {
        backend.provision(device, Provisioning.Request.of(TestPki.create().rootPem(), TrustMode.FIELD));
        countersFile = device.resolve("rot/counters");
    }

    @Test
    void raiseNeverLowersAndSurvivesReopen() throws Exception {
        try (RootOfTrust rot = backend.open(device)) {
            MonotonicCounters c = rot.counters();
            assertThat(c.raiseTo(MonotonicCounters.SECURITY_VERSION, 5)).isEqualTo(5);
            assertThat(c.raiseTo(MonotonicCounters.SECURITY_VERSION, 3)).isEqualTo(5);
            assertThat(c.raiseTo(MonotonicCounters.SECURITY_VERSION, 0)).isEqualTo(5);
            assertThat(c.increment(MonotonicCounters.BOOT)).isEqualTo(1);
            assertThat(c.read("never-raised")).isZero();
        }
        try (RootOfTrust rot = backend.open(device)) {
            assertThat(rot.counters().read(MonotonicCounters.SECURITY_VERSION)).isEqualTo(5);
            assertThat(rot.counters().read(MonotonicCounters.BOOT)).isEqualTo(1);
        }
    }

    @Test
    void malformedNamesAndNegativeValuesAreRefused() throws Exception {
        try (RootOfTrust rot = backend.open(device)) {
            assertThatThrownBy(() -> rot.counters().raiseTo("Bad Name", 1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Bad Name");
            assertThatThrownBy(() -> rot.counters().raiseTo("floor", -1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("negative");
            assertThatThrownBy(() -> rot.counters().read("a=b")).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void anEditedCounterFileIsRefusedNotReadAsZero() throws Exception {
        try (RootOfTrust rot = backend.open(device)) {
            rot.counters().raiseTo(MonotonicCounters.SECURITY_VERSION, 9);
        }
        String text = Files.readString(countersFile);
        Files.writeString(countersFile, text.replace("security-version=9", "security-version=1"));

        assertThatThrownBy(() -> backend.open(device)).isInstanceOf(RotException.class).hasMessageContaining("checksum mismatch");
        Files.writeString(countersFile, "");
        assertThatThrownBy(() -> backend.open(device)).isInstanceOf(RotException.class).hasMessageContaining("damaged");
        Files.delete(countersFile);
        assertThatThrownBy(() -> backend.open(device)).isInstanceOf(RotException.class).hasMessageContaining("missing");
    }

    @Test
    void aTornTemporaryFileFromACrashChangesNothing() throws Exception {
        try (RootOfTrust rot = backend.open(device)) {
            rot.counters().raiseTo(MonotonicCounters.SECURITY_VERSION, 4);
        }
        // What a crash between "write temp" and "rename" leaves behind.
        Files.write(device.resolve("rot/.counters.tmp-deadbeef0000"), "# voltkeep monotonic counters v1\nsecurity-version=0\n".getBytes(StandardCharsets.UTF_8));

        try (RootOfTrust rot = backend.open(device)) {
            assertThat(rot.counters().read(MonotonicCounters.SECURITY_VERSION)).isEqualTo(4);
            assertThat(rot.counters().raiseTo(MonotonicCounters.SECURITY_VERSION, 6)).isEqualTo(6);
        }
        try (RootOfTrust rot = backend.open(device)) {
            assertThat(rot.counters().read(MonotonicCounters.SECURITY_VERSION)).isEqualTo(6);
        }
    }

    @Test
    void concurrentRaisesEndAtTheMaximumAndNoReaderSeesADrop() throws Exception {
        try (RootOfTrust rot = backend.open(device)) {
            MonotonicCounters c = rot.counters();
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<List<Long>>> results = new ArrayList<>();
                for (int t = 0; t < 4; t++) {
                    int offset = t;
                    results.add(pool.submit(() -> {
                        List<Long> seen = new ArrayList<>();
                        for (int i = 0; i < 25; i++) {
                            c.raiseTo("floor", i * 4L + offset);
                            seen.add(c.read("floor"));
                        }
                        return seen;
                    }));
                }
                for (Future<List<Long>> f : results) {
                    List<Long> seen = f.get();
                    for (int i = 1; i < seen.size(); i++) {
                        assertThat(seen.get(i)).as("reads of one thread never go down").isGreaterThanOrEqualTo(seen.get(i - 1));
                    }
                }
            } finally {
                pool.shutdownNow();
            }
            assertThat(c.read("floor")).isEqualTo(24 * 4L + 3);
        }
    }
}
