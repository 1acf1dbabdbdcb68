package org.voltkeep.launcher;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import org.voltkeep.json.Json;
import org.voltkeep.update.FirmwareStatus;
import org.voltkeep.update.UpdateStatus;
import org.voltkeep.update.json.UpdateStatusJson;

/**
 * {@code voltkeep update install|status}: asks the running device's update agent
 * (application domain, control socket) to install an image, and follows it.
 */
final class UpdateCommand {
    static final String HELP = """
            usage: voltkeep update install --device DIR FILE|URL [--force] [--json] [--timeout SECONDS] [--board NAME]
                   voltkeep update status --device DIR [--json]

            install  hands FILE (made absolute) or an https:// URL to the running charger's
                     update agent and follows it: download, the launcher verifies the image
                     and installs it into the other slot, then the charger activates it
                     when no charging session runs, restarts into it on trial and the
                     launcher commits it once its health check passes. A progress bar on a
                     terminal, one line per step otherwise, one JSON status per line with
                     --json.
                     --force  do not wait for a running session: stop it first (safety
                              opens the contactor), then activate.
                     --timeout SECONDS  how long to follow (default 600); the update goes
                              on on the charger after that.
                     Exit 0 when the update is Installed (the new slot runs and was
                     committed), or InstallScheduled (installed, waiting for the car to be
                     unplugged: the charger activates it by itself). Exit 1 when it failed
                     (DownloadFailed, InvalidSignature, InstallVerificationFailed,
                     InstallationFailed: the reason is printed), was refused (another
                     update under way, a missing file), the device is not running, or the
                     timeout passed first.
                     A stopped device (no voltkeep run on it) takes a FILE directly: the
                     image is verified exactly as at boot, installed into the slot that is
                     not the primary one and activated, so the next voltkeep run boots it
                     on trial and commits it once its health check passes (or rolls back).
                     --board NAME  the board the stopped device runs (default sim): the
                              image must be built for it.
                     An https:// URL needs the running charger (its update agent downloads).
            status   the current or latest update. Exit 0 when the charger answered, 1 when
                     it is not running.
            """;
    static final Duration POLL = Duration.ofMillis(200);
    static final Duration RECONNECT = Duration.ofMillis(250);
    static final long DEFAULT_TIMEOUT_SECONDS = 600;
    private static final int BAR = 30;

    private final PrintStream out;
    private final PrintStream err;
    private final boolean terminal;

    UpdateCommand(PrintStream out, PrintStream err) {
        this(out, err, System.console() != null);
    }

    /** @param terminal stdout is a console: draw a progress bar */
    UpdateCommand(PrintStream out, PrintStream err, boolean terminal) {
        this.out = out;
        this.err = err;
        this.terminal = terminal;
    }

    int run(List<String> argv) throws UsageException {
        if (argv.isEmpty()) {
            throw new UsageException("update: install or status?\n\n" + HELP);
        }
        String sub = argv.get(0);
        List<String> rest = argv.subList(1, argv.size());
        return switch (sub) {
            case "install" -> install(rest);
            case "status" -> status(rest);
            default -> throw new UsageException("update: unknown sub-command '" + sub + "' (install or status)");
        };
    }

    private int status(List<String> argv) throws UsageException {
        Args a = Args.parse("update status", argv, Set.of("device"), Set.of("json"));
        a.noPositionals("update status");
        DeviceLayout device = new DeviceLayout(a.requiredPath("update status", "device"));
        device.requireDevice();
        boolean json = a.flag("json");
        try (JsonLineClient app = JsonLineClient.connect(device.appSocket())) {
            Json.Obj reply = app.call(Json.object().put("cmd", "update-status"));
            if (!reply.bool("ok", false)) {
                return failed(json, reply.string("error", "the charger refused: " + reply.write()));
            }
            Optional<UpdateStatus> u = reply.get("update") instanceof Json.Obj o ? Optional.of(UpdateStatusJson.read(o))
                    : Optional.empty();
            if (json) {
                out.println(Json.object().put("running", true).put("update", u.<Object>map(UpdateStatusJson::write).orElse(null)).write());
            } else {
                out.println(u.map(UpdateCommand::describe).orElse("no update on this device yet"));
            }
            return 0;
        } catch (IOException e) {
            return notRunning(json, device, e);
        } catch (IllegalArgumentException e) {
            return failed(json, "the charger sent an answer this command cannot read: " + e.getMessage());
        }
    }

    private int install(List<String> argv) throws UsageException {
        Args a = Args.parse("update install", argv, Set.of("device", "timeout", "board"), Set.of("force", "json"));
        DeviceLayout device = new DeviceLayout(a.requiredPath("update install", "device"));
        if (a.positionals().size() != 1) {
            throw new UsageException("update install: give exactly one FILE or https:// URL"
                    + (a.positionals().isEmpty() ? "" : " (found " + a.positionals().size() + ")"));
        }
        long timeoutSeconds = a.nonNegativeLong("update install", "timeout", DEFAULT_TIMEOUT_SECONDS);
        device.requireDevice();
        String source = source(a.positionals().get(0));
        boolean json = a.flag("json");
        long deadline = System.nanoTime() + Duration.ofSeconds(timeoutSeconds).toNanos();
        UpdateStatus first;
        JsonLineClient app;
        try {
            app = JsonLineClient.connect(device.appSocket());
        } catch (IOException e) {
            if (source.startsWith("/")) {
                return installOffline(device, Path.of(source), a.value("board").orElse("sim"), json, e);
            }
            try (DeviceLock free = DeviceLock.tryAcquire(device).orElse(null)) {
                if (free == null) {
                    return failed(json, busy(device, e));
                }
            } catch (IOException lockProblem) {
                return failed(json, "cannot lock " + device.lockFile() + ": " + lockProblem.getMessage());
            }
            return notRunning(json, device, e);
        }
        try {
            Json.Obj reply = app.call(Json.object().put("cmd", "update-install").put("source", source).put("force", a.flag("force")));
            if (!reply.bool("ok", false)) {
                return failed(json, "not started: " + reply.string("error", reply.write()));
            }
            first = UpdateStatusJson.read(reply.obj("update"));
        } catch (IOException e) {
            closeQuietly(app);
            return failed(json, "the charger closed the connection: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            closeQuietly(app);
            return failed(json, "the charger sent an answer this command cannot read: " + e.getMessage());
        }
        if (!json) {
            out.println("update " + first.requestId() + " started from " + first.source() + (first.forced() ? " (forced)" : ""));
        }
        return follow(app, device, first, deadline, timeoutSeconds, json);
    }

    /** FILE becomes absolute (the charger resolves nothing relative to this shell); a URL goes as it is. */
    static String source(String given) {
        if (given.matches("(?i)[a-z][a-z0-9+.-]*:.*") && !given.startsWith("/")) {
            return given;
        }
        return Path.of(given).toAbsolutePath().normalize().toString();
    }

    private int follow(JsonLineClient connection, DeviceLayout device, UpdateStatus first, long deadline, long timeoutSeconds,
            boolean json) {
        JsonLineClient app = connection;
        Shown shown = new Shown();
        show(first, shown, json);
        boolean rebootAnnounced = false;
        try {
            while (true) {
                if (System.nanoTime() > deadline) {
                    endBar(shown);
                    return failed(json, "still " + shown.status + " after " + timeoutSeconds + " s; the update goes on on the"
                            + " charger: voltkeep update status --device " + device.root());
                }
                Optional<UpdateStatus> now = Optional.empty();
                if (app == null) {
                    try {
                        app = JsonLineClient.connect(device.appSocket());
                    } catch (IOException e) {
                        sleep(RECONNECT);
                        continue;
                    }
                }
                try {
                    Json.Obj reply = app.call(Json.object().put("cmd", "update-status"));
                    if (!reply.bool("ok", false) && "NOT_CONNECTED".equals(reply.string("code", ""))) {
                        // a domain that is starting: the control socket answers before the update agent is there
                        sleep(POLL);
                        continue;
                    }
                    if (reply.bool("ok", false) && reply.get("update") instanceof Json.Obj o) {
                        now = Optional.of(UpdateStatusJson.read(o));
                    }
                } catch (IOException e) {
                    // the application domain went away: expected while the charger restarts into the new slot
                    closeQuietly(app);
                    app = null;
                    if (shown.status == FirmwareStatus.InstallRebooting && !rebootAnnounced && !json) {
                        endBar(shown);
                        out.println("the charger restarts into slot " + shown.slot + " on trial; waiting for it to come back");
                        rebootAnnounced = true;
                    }
                    sleep(RECONNECT);
                    continue;
                }
                if (now.isEmpty() || !now.get().requestId().equals(first.requestId())) {
                    endBar(shown);
                    return failed(json, "the charger no longer reports update " + first.requestId()
                            + now.map(u -> " (it reports " + u.requestId() + ")").orElse(""));
                }
                UpdateStatus u = now.get();
                show(u, shown, json);
                if (u.status().failed()) {
                    endBar(shown);
                    return failed(json, "update failed: " + u.status() + ": " + u.reason());
                }
                if (u.status() == FirmwareStatus.Installed) {
                    endBar(shown);
                    return succeeded(json, u, "installed: image " + u.version() + " runs from slot " + u.slot()
                            + " and was committed");
                }
                if (u.status() == FirmwareStatus.InstallScheduled && !u.forced()) {
                    endBar(shown);
                    return succeeded(json, u, "scheduled: " + u.reason() + "; the charger activates image " + u.version()
                            + " by itself. Follow it with: voltkeep update status --device " + device.root());
                }
                sleep(POLL);
            }
        } finally {
            if (app != null) {
                closeQuietly(app);
            }
        }
    }

    /** What was last shown, so that only changes are printed. */
    private static final class Shown {
        FirmwareStatus status;
        String phase = "";
        String reason = "";
        String slot = "?";
        int percent = -1;
        boolean barOpen;
        String lastJson = "";
    }

    private void show(UpdateStatus u, Shown shown, boolean json) {
        shown.slot = u.slot().isEmpty() ? shown.slot : u.slot();
        if (json) {
            // progress and status, without the time stamp that changes with every snapshot
            String key = UpdateStatusJson.write(u).put("updated", "").write();
            if (!key.equals(shown.lastJson)) {
                out.println(UpdateStatusJson.write(u).write());
                shown.lastJson = key;
            }
            shown.status = u.status();
            return;
        }
        boolean changed = u.status() != shown.status || !u.reason().equals(shown.reason);
        if (changed) {
            endBar(shown);
            out.println(u.status() + (u.reason().isEmpty() ? "" : ": " + u.reason()));
            shown.status = u.status();
            shown.reason = u.reason();
            shown.percent = -1;
        }
        if (u.bytesTotal() > 0 && u.bytesDone() > 0 && !u.phase().isEmpty() && !u.status().terminal()) {
            progress(shown, u.phase(), u.bytesDone(), u.bytesTotal());
        }
    }

    /** A bar on a terminal, a line every 10 % otherwise. */
    private void progress(Shown shown, String phase, long done, long total) {
        int percent = (int) Math.min(100, done * 100 / total);
        if (!phase.equals(shown.phase)) {
            endBar(shown);
            shown.phase = phase;
            shown.percent = -1;
        }
        if (terminal) {
            if (percent != shown.percent) {
                int filled = percent * BAR / 100;
                out.print(String.format(Locale.ROOT, "\r  %-11s [%s%s] %3d%%  %s of %s", phase, "#".repeat(filled),
                        "-".repeat(BAR - filled), percent, mb(done), mb(total)));
                out.flush();
                shown.barOpen = true;
            }
        } else if (percent / 10 != shown.percent / 10 || shown.percent < 0) {
            out.println(String.format(Locale.ROOT, "  %s %d%% (%s of %s)", phase, percent, mb(done), mb(total)));
        }
        shown.percent = percent;
    }

    private static String busy(DeviceLayout device, IOException whyNoAnswer) {
        return "the device at " + device.root() + " is in use by a voltkeep process (starting, or restarting its application"
                + " domain), but its update agent does not answer (" + whyNoAnswer.getMessage() + "); try again once"
                + " voltkeep status --device " + device.root() + " shows the application domain up";
    }

    /**
     * No charger answers: if no launcher holds the device either, install and activate
     * here, under the device lock, exactly as the launcher would for its update agent.
     */
    private int installOffline(DeviceLayout device, Path image, String board, boolean json, IOException whyNotRunning) {
        Optional<DeviceLock> held;
        try {
            held = DeviceLock.tryAcquire(device);
        } catch (IOException e) {
            return failed(json, "cannot lock " + device.lockFile() + ": " + e.getMessage());
        }
        if (held.isEmpty()) {
            return failed(json, busy(device, whyNotRunning));
        }
        try (DeviceLock lock = held.get()) {
            SlotStore store = new SlotStore(device, board, FileOps.REAL, java.time.Clock.systemUTC());
            BootConfig config = BootConfig.read(device);
            Slot primary = store.state().primary();
            if (!json) {
                out.println("the device at " + device.root() + " is not running: installing " + image.getFileName() + " directly");
            }
            Shown shown = new Shown();
            SlotStore.Installed installed;
            try {
                installed = store.install(image, primary, (phase, done, total) -> {
                    if (!json && total > 0) {
                        progress(shown, phase, done, total);
                    }
                });
            } catch (InstallRejected r) {
                endBar(shown);
                if (json) {
                    out.println(Json.object().put("ok", false).put("offline", true).put("status", r.status().ocppName())
                            .put("error", r.getMessage()).write());
                } else {
                    err.println("voltkeep update: " + r.status().ocppName() + ": " + r.getMessage());
                }
                return 1;
            }
            endBar(shown);
            Slot trial = store.activate(primary, config.attempts());
            if (json) {
                out.println(Json.object().put("ok", true).put("offline", true).put("status", "Installed").put("slot", trial.id())
                        .put("version", installed.image().version()).put("securityVersion", installed.image().securityVersion())
                        .put("activated", true).write());
            } else {
                out.println("installed " + installed.image().version() + " (security version " + installed.image().securityVersion()
                        + ") into slot " + trial.id() + " and activated it: the next voltkeep run --device " + device.root()
                        + " boots it on trial (" + config.attempts() + " attempts) and commits it once its health check passes,"
                        + " or rolls back to slot " + primary.id());
            }
            return 0;
        } catch (UsageException e) {
            return failed(json, "bad boot configuration: " + e.getMessage());
        } catch (IOException | SlotStore.Refused e) {
            return failed(json, "cannot install into the stopped device: " + e.getMessage());
        }
    }

    private void endBar(Shown shown) {
        if (shown.barOpen) {
            out.println();
            shown.barOpen = false;
        }
    }

    static String describe(UpdateStatus u) {
        StringBuilder sb = new StringBuilder();
        sb.append("update ").append(u.requestId()).append(": ").append(u.status()).append(u.forced() ? " (forced)" : "").append('\n');
        sb.append("  source   ").append(u.source()).append('\n');
        if (!u.version().isEmpty()) {
            sb.append("  image    ").append(u.version()).append(" (security version ").append(u.securityVersion())
                    .append(") in slot ").append(u.slot()).append('\n');
        }
        if (u.bytesTotal() > 0 && !u.phase().isEmpty()) {
            sb.append("  progress ").append(u.phase()).append(' ').append(u.bytesDone() * 100 / u.bytesTotal()).append("% (")
                    .append(mb(u.bytesDone())).append(" of ").append(mb(u.bytesTotal())).append(")\n");
        }
        if (!u.reason().isEmpty()) {
            sb.append("  reason   ").append(u.reason()).append('\n');
        }
        sb.append("  started  ").append(u.started()).append(", last change ").append(u.updated());
        return sb.toString();
    }

    private static String mb(long bytes) {
        return String.format(Locale.ROOT, "%.1f MB", bytes / 1e6);
    }

    private int notRunning(boolean json, DeviceLayout device, IOException e) {
        String why = "the device at " + device.root() + " is not running (" + e.getMessage()
                + "): start it with voltkeep run --device " + device.root() + " (a stopped device takes a FILE, not a URL)";
        if (json) {
            out.println(Json.object().put("ok", false).put("running", false).put("error", why).write());
        } else {
            err.println("voltkeep update: " + why);
        }
        return 1;
    }

    /** The last line: in words, or {@code {"ok":true,"status":"..."}} with --json. */
    private int succeeded(boolean json, UpdateStatus u, String words) {
        if (json) {
            out.println(Json.object().put("ok", true).put("status", u.status()).write());
        } else {
            out.println(words);
        }
        return 0;
    }

    private int failed(boolean json, String why) {
        if (json) {
            out.println(Json.object().put("ok", false).put("error", why).write());
        } else {
            err.println("voltkeep update: " + why);
        }
        return 1;
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(JsonLineClient c) {
        try {
            c.close();
        } catch (IOException e) {
            // going away anyway
        }
    }
}
