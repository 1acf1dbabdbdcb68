package org.voltkeep.launcher;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;

/** The {@code voltkeep} command line. */
public final class Main {
    static final String USAGE = """
            usage: voltkeep <command> [options]

            commands:
              demo     boot a fresh simulated charger from this build and play a scenario
              init     make a device directory that boots this build (slot A)
              run      run a device until stopped (SIGTERM or Ctrl-C opens the contactor first)
              status   print the charger's state, limits, faults, slot and versions
              slots    list slots a, b and r: state, image version, why; trial and floor
              provision, decommission   install or wipe the device's root of trust
              image    build, sign (a release step, keys in a token too) or verify a signed image
              update   install a signed image (file or https URL) on the running charger; show the update's status
              attest   a report of what booted, signed by the device key; 'attest verify' checks one
              log      'log verify' walks the security event log's hash chain
              help     this text; 'voltkeep <command> --help' tells one command's options

            exit codes: 0 success, 1 the command ran but failed (a scenario's expectations,
            an unreachable device), 2 bad command line, 3 no slot could boot (each was refused)
            """;

    private Main() {
    }

    public static void main(String[] argv) {
        System.exit(run(Arrays.asList(argv), System.out, System.err));
    }

    static int run(List<String> argv, PrintStream out, PrintStream err) {
        if (argv.isEmpty() || argv.get(0).equals("help") || argv.get(0).equals("--help") || argv.get(0).equals("-h")) {
            out.print(USAGE);
            return argv.isEmpty() ? 2 : 0;
        }
        String command = argv.get(0);
        List<String> rest = argv.subList(1, argv.size());
        boolean help = rest.contains("--help") || rest.contains("-h");
        try {
            return switch (command) {
                case "demo" -> help ? printHelp(out, DemoCommand.HELP) : new DemoCommand(out, err).run(rest);
                case "init" -> help ? printHelp(out, InitCommand.HELP) : new InitCommand(out, err).run(rest);
                case "run" -> help ? printHelp(out, RunCommand.HELP) : new RunCommand(out, err).run(rest);
                case "status" -> help ? printHelp(out, StatusCommand.HELP) : new StatusCommand(out, err).run(rest);
                case "slots" -> help ? printHelp(out, SlotsCommand.HELP) : new SlotsCommand(out, err).run(rest);
                case "provision" -> help ? printHelp(out, ProvisionCommand.HELP) : new ProvisionCommand(out, err).provision(rest);
                case "decommission" -> help ? printHelp(out, ProvisionCommand.HELP) : new ProvisionCommand(out, err).decommission(rest);
                case "image" -> help ? printHelp(out, ImageCommand.HELP) : new ImageCommand(out, err).run(rest);
                case "update" -> help ? printHelp(out, UpdateCommand.HELP) : new UpdateCommand(out, err).run(rest);
                case "attest" -> help ? printHelp(out, AttestCommand.HELP) : new AttestCommand(out, err).run(rest);
                case "log" -> help ? printHelp(out, LogCommand.HELP) : new LogCommand(out, err).run(rest);
                default -> throw new UsageException("unknown command '" + command + "'\n\n" + USAGE);
            };
        } catch (UsageException e) {
            err.println("voltkeep: " + e.getMessage());
            return 2;
        }
    }

    private static int printHelp(PrintStream out, String text) {
        out.print(text);
        return 0;
    }
}
