package org.voltkeep.launcher;

import java.io.File;
import java.io.IOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.voltkeep.image.BundleDomain;

/** One running domain JVM, started from the launcher's own class path. */
final class DomainProcess {
    private final BundleDomain domain;
    private final Process process;
    private final Path log;

    private DomainProcess(BundleDomain domain, Process process, Path log) {
        this.domain = domain;
        this.process = process;
        this.log = log;
    }

    static DomainProcess start(Installation inst, DeviceLayout device, DomainOptions options, List<String> jvmOptions)
            throws IOException {
        return start(inst, device, options, jvmOptions, DomainUsers.SAME_AS_LAUNCHER);
    }

    /** Starts the domain as the user {@code users} names for it (through setpriv), or as the launcher's user. */
    static DomainProcess start(Installation inst, DeviceLayout device, DomainOptions options, List<String> jvmOptions,
            DomainUsers users) throws IOException {
        Files.createDirectories(device.logs());
        Files.deleteIfExists(device.readyMarker(options.domain()));
        Path log = device.logs().resolve(options.domain().id() + ".log");
        // when the supervisor started this domain: with the ready marker's time, how long the domain took
        Files.writeString(log, "[voltkeep supervisor] " + Instant.now() + " starting the " + options.domain().id() + " domain\n",
                StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        List<String> cmd = new ArrayList<>(users.commandPrefix(options.domain()));
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmOptions);
        cmd.add("-Dorg.slf4j.simpleLogger.showDateTime=true");
        cmd.add("-Dorg.slf4j.simpleLogger.dateTimeFormat=yyyy-MM-dd'T'HH:mm:ss.SSS");
        cmd.add("-cp");
        cmd.add(inst.launcherJar().toString());
        cmd.add(DomainMain.class.getName());
        cmd.addAll(options.toArgs());
        ProcessBuilder pb = new ProcessBuilder(cmd);
        if (options.shell()) {
            // the shell talks on the terminal; logs (stderr) still go to the file
            pb.redirectInput(Redirect.INHERIT);
            pb.redirectOutput(Redirect.INHERIT);
            pb.redirectError(Redirect.appendTo(log.toFile()));
        } else {
            pb.redirectInput(Redirect.from(new File("/dev/null")));
            pb.redirectErrorStream(true);
            pb.redirectOutput(Redirect.appendTo(log.toFile()));
        }
        return new DomainProcess(options.domain(), pb.start(), log);
    }

    BundleDomain domain() {
        return domain;
    }

    long pid() {
        return process.pid();
    }

    Path log() {
        return log;
    }

    boolean alive() {
        return process.isAlive();
    }

    Process process() {
        return process;
    }

    /** Waits until the domain wrote its ready marker, or fails with the reason and the log's last lines. */
    void awaitReady(DeviceLayout device, Duration timeout) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Path marker = device.readyMarker(domain);
        while (System.nanoTime() < deadline) {
            if (Files.exists(marker) && Files.readString(marker).trim().equals(Long.toString(process.pid()))) {
                return;
            }
            if (!process.isAlive()) {
                throw new IOException(domain.id() + " domain exited with code " + process.exitValue() + " before it was ready; "
                        + "last log lines:\n" + tail(20));
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for the " + domain.id() + " domain", e);
            }
        }
        throw new IOException(domain.id() + " domain not ready after " + timeout.toSeconds() + " s; last log lines:\n" + tail(20));
    }

    /** SIGTERM, then SIGKILL after the grace period. Returns the exit code. */
    int stop(Duration grace) {
        process.destroy();
        try {
            if (!process.waitFor(grace.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor();
            }
            return process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            return -1;
        }
    }

    void kill() {
        process.destroyForcibly();
    }

    /** Freezes (SIGSTOP) or thaws (SIGCONT) the process: a hung domain, for tests and scenarios. */
    void signal(String signal) throws IOException {
        Process p = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).redirectErrorStream(true).start();
        try {
            if (p.waitFor() != 0) {
                throw new IOException("kill -" + signal + " " + process.pid() + " failed");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    String tail(int lines) {
        try {
            List<String> all = Files.readAllLines(log);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
