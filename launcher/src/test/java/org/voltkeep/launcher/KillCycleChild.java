package org.voltkeep.launcher;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;

/**
 * One process of the kill-cycle torture ({@link KillCycles}): the launcher's slot code
 * ({@link SlotStore}, {@link BootState}, {@link BootVerifier}, {@link BootEvents}) on
 * {@link FileOps#REAL} and a real device directory, doing what the launcher's boot
 * thread, boot socket and trial monitor do, without domains. It is killed with SIGKILL
 * at a random moment.
 *
 * <ol>
 * <li>boots as the launcher does and checks the device ({@link BootCheck}): this is the
 * check of the previous process's kill; prints {@code CHECKED …} or {@code CHECK-FAILED …};</li>
 * <li>a trial it booted (one an earlier kill left) gets its verdict;</li>
 * <li>installs the image it was given, activates it, boots it on trial, and gives the
 * verdict: commit, or rollback and reboot for an image meant to fail (its version
 * contains {@code -fails});</li>
 * <li>prints {@code DONE} and waits to be killed.</li>
 * </ol>
 * Before each step it prints {@code PHASE name}, so the last such line in its output
 * names the step it died in.
 *
 * <p>Usage: {@code KillCycleChild --device DIR --expected-config DIR [--install IMAGE]};
 * without {@code --install} it only boots and checks. Exit 0 after a check alone, 1 when
 * a check or a step failed, 2 on a bad command line.
 */
final class KillCycleChild {
    static final String BOARD = TestImages.BOARD;
    static final String MEANT_TO_FAIL = "-fails";

    private final DeviceLayout device;
    private final SlotStore store;
    private final PrintStream out;

    private KillCycleChild(DeviceLayout device, PrintStream out) {
        this.device = device;
        this.store = new SlotStore(device, BOARD, FileOps.REAL, Clock.systemUTC());
        this.out = out;
    }

    public static void main(String[] argv) throws Exception {
        Path deviceDir = null;
        Path expected = null;
        Path image = null;
        for (int i = 0; i + 1 < argv.length; i += 2) {
            switch (argv[i]) {
                case "--device" -> deviceDir = Path.of(argv[i + 1]);
                case "--expected-config" -> expected = Path.of(argv[i + 1]);
                case "--install" -> image = Path.of(argv[i + 1]).toAbsolutePath();
                default -> {
                    System.err.println("kill-cycle child: unknown option " + argv[i]);
                    System.exit(2);
                }
            }
        }
        if (deviceDir == null || expected == null || argv.length % 2 != 0) {
            System.err.println("usage: KillCycleChild --device DIR --expected-config DIR [--install IMAGE]");
            System.exit(2);
        }
        System.exit(new KillCycleChild(new DeviceLayout(deviceDir), System.out).run(expected, image));
    }

    private int run(Path expected, Path image) throws InterruptedException {
        BootCheck.Booted booted;
        try {
            booted = BootCheck.boot(device, BOARD, expected);
        } catch (BootCheck.Failed e) {
            say("CHECK-FAILED " + e.getMessage());
            return 1;
        }
        say("CHECKED " + booted.describe());
        if (image == null) {
            return 0;
        }
        try {
            Slot running = booted.slot();
            if (booted.trial()) {
                say("PHASE boot-verdict");
                running = verdict(booted.selected());
            }
            say("PHASE install");
            SlotStore.Installed installed = store.install(image, running, SlotStore.Progress.NONE);
            say("PHASE activate");
            store.activate(running, 3);
            say("PHASE trial-boot");
            SlotStore.Selected trial = launcherBoot();
            if (!trial.trial() || trial.slot() != installed.slot()) {
                say("STEP-FAILED the trial boot booted " + trial.reason() + ", not slot " + installed.slot() + " on trial");
                return 1;
            }
            verdict(trial);
            say("DONE");
        } catch (InstallRejected | IOException | SlotRejectedException | SlotStore.Refused e) {
            say("STEP-FAILED " + e.getMessage());
            return 1;
        }
        Thread.sleep(Long.MAX_VALUE);
        return 0;
    }

    /** The launcher's boot: choose and verify a slot, count and log the boot, add missing defaults. */
    private SlotStore.Selected launcherBoot() throws IOException, SlotRejectedException {
        SlotStore.Selected s = store.select();
        BootEvents.verified(device, s.boot());
        store.copyMissingDefaults(s.boot());
        return s;
    }

    /**
     * The trial's verdict as the supervisor gives it: commit (then the floor, then the log),
     * or, for an image meant to fail, rollback and a reboot into the previous slot.
     * Returns the slot that runs afterwards.
     */
    private Slot verdict(SlotStore.Selected trial) throws IOException, SlotRejectedException, SlotStore.Refused {
        if (trial.boot().image().manifest().version().contains(MEANT_TO_FAIL)) {
            say("PHASE rollback");
            store.rollBack(trial.slot(), "health check did not pass within the trial window (an image meant to fail)");
            say("PHASE reboot");
            return launcherBoot().slot();
        }
        say("PHASE commit");
        store.commit(trial.slot(), trial.boot(), "health check passed");
        BootEvents.committed(device, trial.boot(), store.floor());
        return trial.slot();
    }

    private void say(String line) {
        out.println(line);
        out.flush();
    }
}
