package org.voltkeep.config.internal;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The configuration a file name stands for: {@code <pid>.cfg} or
 * {@code <factoryPid>~<name>.cfg}.
 *
 * @param factoryPid the factory PID, empty for a singleton configuration
 * @param name       the singleton PID, or the factory configuration's name
 */
record CfgTarget(String factoryPid, String name) {
    static final String SUFFIX = ".cfg";
    /** OSGi PID syntax: symbolic-name = token ( '.' token )*. */
    private static final Pattern PID = Pattern.compile("[A-Za-z0-9_-]+(\\.[A-Za-z0-9_-]+)*");
    /** Factory configuration names stay file-name-safe and free of the '~' separator. */
    private static final Pattern FACTORY_NAME = Pattern.compile("[A-Za-z0-9._-]+");

    CfgTarget {
        Objects.requireNonNull(factoryPid, "factoryPid");
        Objects.requireNonNull(name, "name");
    }

    boolean factory() {
        return !factoryPid.isEmpty();
    }

    /** The PID Configuration Admin gives this configuration. */
    String pid() {
        return factory() ? factoryPid + "~" + name : name;
    }

    /** Whether the loader looks at this file at all (hidden and non-.cfg files are not configuration). */
    static boolean isCandidate(String fileName) {
        return fileName.endsWith(SUFFIX) && !fileName.startsWith(".");
    }

    static CfgTarget fromFileName(String fileName) throws CfgException {
        if (!fileName.endsWith(SUFFIX)) {
            throw new CfgException("", "file name does not end in " + SUFFIX);
        }
        String base = fileName.substring(0, fileName.length() - SUFFIX.length());
        int tilde = base.indexOf('~');
        if (tilde < 0) {
            requirePid(base, "PID");
            return new CfgTarget("", base);
        }
        String factoryPid = base.substring(0, tilde);
        String name = base.substring(tilde + 1);
        requirePid(factoryPid, "factory PID");
        if (!FACTORY_NAME.matcher(name).matches()) {
            throw new CfgException("", "factory configuration name '" + name
                    + "' must be 1 or more of A-Z a-z 0-9 . _ - (file names are <factoryPid>~<name>.cfg)");
        }
        return new CfgTarget(factoryPid, name);
    }

    private static void requirePid(String pid, String what) throws CfgException {
        if (!PID.matcher(pid).matches()) {
            throw new CfgException("", "bad " + what + " '" + pid
                    + "': must be dot-separated tokens of A-Z a-z 0-9 _ -");
        }
    }
}
