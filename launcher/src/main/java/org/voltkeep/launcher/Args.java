package org.voltkeep.launcher;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Options of one sub-command: {@code --name value}, {@code --flag} and positionals.
 * Unknown options are an error that names them, so a typo never runs with defaults.
 */
final class Args {
    private final Map<String, String> options = new LinkedHashMap<>();
    private final List<String> positionals = new ArrayList<>();

    private Args() {
    }

    /**
     * @param valued options that take a value
     * @param flags  options that take none
     */
    static Args parse(String command, List<String> argv, Set<String> valued, Set<String> flags) throws UsageException {
        Args a = new Args();
        for (int i = 0; i < argv.size(); i++) {
            String s = argv.get(i);
            if (s.startsWith("--")) {
                String name = s.substring(2);
                String value = null;
                int eq = name.indexOf('=');
                if (eq >= 0) {
                    value = name.substring(eq + 1);
                    name = name.substring(0, eq);
                }
                if (flags.contains(name)) {
                    if (value != null) {
                        throw new UsageException(command + ": --" + name + " takes no value");
                    }
                    a.options.put(name, "true");
                } else if (valued.contains(name)) {
                    if (value == null) {
                        if (i + 1 >= argv.size()) {
                            throw new UsageException(command + ": --" + name + " needs a value");
                        }
                        value = argv.get(++i);
                    }
                    a.options.put(name, value);
                } else {
                    throw new UsageException(command + ": unknown option --" + name + " (see voltkeep " + command + " --help)");
                }
            } else {
                a.positionals.add(s);
            }
        }
        return a;
    }

    boolean flag(String name) {
        return options.containsKey(name);
    }

    Optional<String> value(String name) {
        return Optional.ofNullable(options.get(name));
    }

    Optional<Path> path(String name) {
        return value(name).map(Path::of);
    }

    Path requiredPath(String command, String name) throws UsageException {
        return path(name).orElseThrow(() -> new UsageException(command + ": --" + name + " DIR is required"));
    }

    double positiveNumber(String command, String name, double fallback) throws UsageException {
        Optional<String> v = value(name);
        if (v.isEmpty()) {
            return fallback;
        }
        try {
            double d = Double.parseDouble(v.get());
            if (!(d > 0) || Double.isInfinite(d)) {
                throw new NumberFormatException();
            }
            return d;
        } catch (NumberFormatException e) {
            throw new UsageException(command + ": --" + name + " must be a positive number, not '" + v.get() + "'");
        }
    }

    long nonNegativeLong(String command, String name, long fallback) throws UsageException {
        Optional<String> v = value(name);
        if (v.isEmpty()) {
            return fallback;
        }
        try {
            long n = Long.parseLong(v.get());
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new UsageException(command + ": --" + name + " must be a whole number >= 0, not '" + v.get() + "'");
        }
    }

    List<String> positionals() {
        return positionals;
    }

    void noPositionals(String command) throws UsageException {
        if (!positionals.isEmpty()) {
            throw new UsageException(command + ": unexpected argument '" + positionals.get(0) + "'");
        }
    }
}
