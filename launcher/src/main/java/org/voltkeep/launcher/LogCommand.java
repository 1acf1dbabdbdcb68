package org.voltkeep.launcher;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import org.voltkeep.securitylog.SecurityLog;
import org.voltkeep.securitylog.VerifyReport;

/** {@code voltkeep log verify}: walks the hash chain of the security event log. */
final class LogCommand {
    static final String HELP = """
            usage: voltkeep log verify --device DIR [--json]

            Walks the security event log (DIR/data/security/events.jsonl): every record's
            hash, its link to the one before, the sequence. Exit 0 when the chain is whole;
            exit 1 naming the first record that was edited, removed or reordered.
            """;

    private final PrintStream out;
    private final PrintStream err;

    LogCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    int run(List<String> argv) throws UsageException {
        if (argv.isEmpty() || !argv.get(0).equals("verify")) {
            throw new UsageException("log: only 'log verify' exists\n\n" + HELP);
        }
        Args a = Args.parse("log verify", argv.subList(1, argv.size()), Set.of("device"), Set.of("json"));
        a.noPositionals("log verify");
        DeviceLayout device = new DeviceLayout(a.requiredPath("log verify", "device"));
        Path file = SecurityLog.fileOf(device.root());
        if (!Files.exists(file)) {
            err.println("voltkeep log verify: no security log at " + file);
            return 1;
        }
        try {
            VerifyReport r = SecurityLog.verify(file);
            out.println(a.flag("json") ? r.toJson().writePretty() : r.summary());
            return r.ok() ? 0 : 1;
        } catch (IOException e) {
            err.println("voltkeep log verify: " + e.getMessage());
            return 1;
        }
    }
}
