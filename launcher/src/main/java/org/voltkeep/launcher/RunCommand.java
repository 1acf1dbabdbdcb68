package org.voltkeep.launcher;

import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;

/** {@code voltkeep run}: boots a device and keeps both domains running until stopped. */
final class RunCommand {
    static final String HELP = """
            usage: voltkeep run --device DIR [--board sim] [--speed X] [--shell]
                               [--domain-users safety=USER[:GROUP],app=USER[:GROUP]]

            Boots the device: a slot on trial if one was activated, else the primary slot,
            else the other good slot, else the recovery image (slot r); each is verified first
            and one that fails is marked bad. Starts the safety domain first, then the
            application domain, and supervises them. A crashed application domain is
            restarted without touching the safety domain. SIGTERM or Ctrl-C stops safety
            first (contactor open), then the application domain. Logs go to DIR/data/logs/.

            A slot on trial must have both domains ready and pass the health check within
            the trial window; then it is committed (good, primary, anti-rollback floor
            raised). A failed or late health check, a crash loop or a hang rolls it back and
            reboots into the previous good slot. Trial settings: DIR/data/config/boot.properties
            (trial.attempts=3, trial.window-seconds=60, trial.max-app-exits=3).
            The update agent installs and activates images through DIR/run/boot.sock.

              --device DIR   the device directory (made by 'voltkeep demo --device DIR')
              --board sim    the board to drive (default sim; only the simulated board exists yet)
              --speed X      simulated seconds per wall second on the simulated board (default 1)
              --shell        attach a Gogo shell of the application domain to this terminal
                             (commands: status, authorize, stop, limit, clearlimit, reset,
                             sessions, plug, unplug)
              --domain-users safety=USER[:GROUP],app=USER[:GROUP]
                             run each domain as a Unix user of its own, started through
                             setpriv with no capabilities (on a device; needs CAP_SETUID,
                             CAP_SETGID and CAP_KILL, as runtime-config/systemd/voltkeep.service
                             gives the launcher)
            """;

    private final PrintStream out;
    private final PrintStream err;

    RunCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    int run(List<String> argv) throws UsageException {
        Args a = Args.parse("run", argv, Set.of("device", "board", "speed", DomainUsers.OPTION), Set.of("shell"));
        a.noPositionals("run");
        DeviceLayout device = new DeviceLayout(a.requiredPath("run", "device"));
        device.requireDevice();
        String board = a.value("board").orElse("sim");
        if (!board.equals("sim")) {
            throw new UsageException("run: board '" + board + "' is not available in this build (sim)");
        }
        double speed = a.positiveNumber("run", "speed", 1.0);
        Installation inst = Installation.locate();
        // held until this process ends (the kernel releases it even on SIGKILL)
        Optional<DeviceLock> held;
        try {
            held = DeviceLock.tryAcquire(device);
        } catch (IOException e) {
            err.println("voltkeep run: cannot lock " + device.lockFile() + ": " + e.getMessage());
            return 1;
        }
        if (held.isEmpty()) {
            err.println("voltkeep run: device " + device.root() + " is in use by another voltkeep process (a running"
                    + " launcher or an offline update install); nothing was started");
            return 1;
        }
        DomainUsers users = a.value(DomainUsers.OPTION).isPresent() ? DomainUsers.parse(a.value(DomainUsers.OPTION).get())
                : DomainUsers.SAME_AS_LAUNCHER;
        Supervisor sup = new Supervisor(inst, device, Supervisor.Options.defaults(board, speed, a.flag("shell"), users),
                m -> err.println("voltkeep: " + m));
        // SIGTERM, Ctrl-C and every return below end here: safety first, then the application domain
        // (the hook also keeps the device lock reachable, and lets it go only once the domains are down)
        DeviceLock lock = held.get();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            sup.close();
            try {
                lock.close();
            } catch (IOException e) {
                // the process ends now; the kernel releases the lock anyway
            }
        }, "voltkeep-stop"));
        try {
            new DeviceSetup(inst).applyBoard(device, board);
            BootVerifier.Boot boot = sup.start();
            out.println(Supervisor.describe(boot));
            out.println("domains: " + users.describe());
            out.printf("voltkeep running: device %s, board %s, slot %s (%s), safety pid %d, application pid %d%n",
                    device.root(), board, boot.slot(), sup.bootReason(), sup.safetyPid(), sup.appPid());
            out.println("status: voltkeep status --device " + device.root() + "    slots: voltkeep slots --device "
                    + device.root() + "    logs: " + device.logs());
            int code = sup.finished().get();
            if (code != 0) {
                err.println("voltkeep: the run ended (" + (code == 3 ? "no slot can boot" : "safety domain ended") + ")");
            }
            return code;
        } catch (IOException | SlotRejectedException e) {
            err.println("voltkeep run: " + e.getMessage());
            return e instanceof SlotRejectedException ? 3 : 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        } catch (ExecutionException e) {
            err.println("voltkeep run: " + e.getCause());
            return 1;
        }
    }
}
