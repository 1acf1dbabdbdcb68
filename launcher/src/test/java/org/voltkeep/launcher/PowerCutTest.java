package org.voltkeep.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.function.LongConsumer;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stops an update at every single file operation (write, copy, fsync, rename, directory
 * fsync, delete) of install, activate, the trial boot and the commit, as a crash would,
 * and boots the device afterwards: it must always boot a verified image, v1 or the new
 * v2, never nothing and never an image the boot state does not name.
 */
class PowerCutTest {
    @TempDir
    Path dir;

    /** Real operations that stop (throw) once {@code budget} of them have run. */
    static final class CuttingFileOps implements FileOps {
        private int left;
        int done;

        CuttingFileOps(int budget) {
            this.left = budget;
        }

        private void step() throws IOException {
            if (left-- <= 0) {
                throw new IOException("power cut");
            }
            done++;
        }

        @Override
        public void write(Path file, byte[] content) throws IOException {
            step();
            REAL.write(file, content);
        }

        @Override
        public void copy(Path from, Path to, LongConsumer copied) throws IOException {
            step();
            REAL.copy(from, to, copied);
        }

        @Override
        public void fsync(Path file) throws IOException {
            step();
            REAL.fsync(file);
        }

        @Override
        public void rename(Path from, Path to) throws IOException {
            step();
            REAL.rename(from, to);
        }

        @Override
        public void fsyncDirectory(Path d) throws IOException {
            step();
            REAL.fsyncDirectory(d);
        }

        @Override
        public void delete(Path path) throws IOException {
            step();
            REAL.delete(path);
        }

        @Override
        public void createDirectories(Path d) throws IOException {
            step();
            REAL.createDirectories(d);
        }
    }

    /** An update as the supervisor runs it while {@code booted} runs: install, activate, trial boot, commit. */
    private static void update(SlotStore store, Slot booted, Path image) throws Exception {
        store.install(image, booted, SlotStore.Progress.NONE);
        store.activate(booted, 3);
        SlotStore.Selected trial = store.select();
        store.commit(trial.slot(), trial.boot(), "health check passed");
    }

    @Test
    void everyCutLeavesABootableVerifiedImageAndNoSlotHoldsOtherThanItsRecord() throws Exception {
        TestImages images = new TestImages(dir.resolve("images"));
        DeviceLayout fresh = images.device(dir.resolve("fresh"));
        images.store(fresh, FileOps.REAL).installFactory(images.image("1.0.0", 1));
        // v1 in A, v2 committed in B: the next install overwrites A, the slot a rollback would need
        DeviceLayout updated = copy(fresh, dir.resolve("updated"));
        update(images.store(updated, FileOps.REAL), Slot.A, images.image("2.0.0", 1));

        cutEverywhere(images, fresh, Slot.A, images.image("2.0.0", 1), "fresh");
        cutEverywhere(images, updated, Slot.B, images.image("3.0.0", 1), "updated");
    }

    private void cutEverywhere(TestImages images, DeviceLayout template, Slot booted, Path image, String name) throws Exception {
        CuttingFileOps counting = new CuttingFileOps(Integer.MAX_VALUE);
        update(images.store(copy(template, dir.resolve(name + "-whole")), counting), booted, image);
        int total = counting.done;
        assertThat(total).as("file operations of one update").isGreaterThan(10);
        String before = images.store(template, FileOps.REAL).state().slot(booted).image().orElseThrow().version();

        for (int cut = 0; cut < total; cut++) {
            DeviceLayout d = copy(template, dir.resolve(name + "-cut-" + cut));
            try {
                update(images.store(d, new CuttingFileOps(cut)), booted, image);
                throw new AssertionError("the update finished despite a cut after " + cut + " operations");
            } catch (IOException | InstallRejected e) {
                // the cut
            }
            SlotStore store = images.store(d, FileOps.REAL);
            SlotStore.Selected s = store.select();
            String version = s.boot().image().manifest().version();
            String newVersion = image.getFileName().toString().replaceAll("^v([^-]+)-.*$", "$1");
            assertThat(version).as("%s: cut after %d of %d operations", name, cut, total).isIn(before, newVersion);
            BootState st = store.state();
            for (Slot slot : Slot.values()) {
                BootState.SlotRecord r = st.slot(slot);
                if (r.state() == SlotState.GOOD || r.state() == SlotState.TRIAL) {
                    BootVerifier.Boot b = BootVerifier.verify(d, slot.id(), TestImages.BOARD);
                    assertThat(b.image().manifestSha256()).as("%s: cut after %d: slot %s holds what its record names", name, cut, slot)
                            .isEqualTo(r.image().orElseThrow().manifestSha256());
                }
            }
            try (Stream<Path> left = Files.list(d.slots())) {
                assertThat(left.map(p -> p.getFileName().toString())).as("leftovers cleaned at boot").allMatch(n -> !n.startsWith("."));
            }
        }
    }

    private static DeviceLayout copy(DeviceLayout from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from.root())) {
            for (Path p : s.toList()) {
                Path t = to.resolve(from.root().relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        return new DeviceLayout(to);
    }
}
