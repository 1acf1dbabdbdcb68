package org.voltkeep.launcher;

import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.Set;

/** {@code voltkeep init}: a device directory that boots this build's bundles from slot A. */
final class InitCommand {
    static final String HELP = """
            usage: voltkeep init --device DIR [--board sim] [--image FILE]

            Creates (or refreshes) a device directory: provisions it (if it is not yet) with
            a soft root of trust that trusts this build's development PKI (development
            trust, shown everywhere), installs this build's signed image into slot A after
            verifying it, copies the image's default configuration into DIR/data/config (a
            device's own edits are kept) and writes the boot state.
            Then: voltkeep run --device DIR

              --image FILE   install this signed image instead of this build's; it is
                             verified in staging first, and an image the device refuses
                             changes nothing (exit 3 with the reason)
            """;

    private final PrintStream out;
    private final PrintStream err;

    InitCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    int run(List<String> argv) throws UsageException {
        Args a = Args.parse("init", argv, Set.of("device", "board", "image"), Set.of());
        a.noPositionals("init");
        DeviceLayout device = new DeviceLayout(a.requiredPath("init", "device"));
        Installation inst = Installation.locate();
        try {
            String installed = new DeviceSetup(inst).prepare(device, a.value("board").orElse("sim"),
                    a.path("image").orElse(inst.devImage()));
            out.println("device " + device.root() + ": " + installed);
            return 0;
        } catch (IOException e) {
            err.println("voltkeep init: " + e.getMessage());
            return 1;
        } catch (SlotRejectedException e) {
            err.println("voltkeep init: " + e.getMessage());
            return 3;
        }
    }
}
