package org.voltkeep.config.internal;

/**
 * A configuration file that must be refused.
 *
 * @see #where() where in the file ("line 3, key 'x'"), empty when the file as a whole is wrong
 */
final class CfgException extends Exception {
    private static final long serialVersionUID = 1L;

    private final String where;
    private final String problem;

    CfgException(String where, String problem) {
        super(where.isEmpty() ? problem : where + ": " + problem);
        this.where = where;
        this.problem = problem;
    }

    String where() {
        return where;
    }

    String problem() {
        return problem;
    }

    static String at(int line, String key) {
        return "line " + line + ", key '" + key + "'";
    }
}
