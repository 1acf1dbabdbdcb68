package org.voltkeep.config;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What one load of the configuration directory did.
 *
 * @param directory the directory read, as configured
 * @param problem   empty, or why the whole directory was not applied (then {@code files} is empty)
 * @param files     one entry per {@code .cfg} file seen and per configuration deleted, in file-name order
 */
public record LoadReport(String directory, String problem, List<FileResult> files) {

    public LoadReport {
        Objects.requireNonNull(directory, "directory");
        Objects.requireNonNull(problem, "problem");
        files = List.copyOf(files);
    }

    /** What happened to one file's configuration. */
    public enum Outcome {
        /** The configuration did not exist and was created. */
        CREATED,
        /** The configuration existed with other content and was updated. */
        UPDATED,
        /** The configuration already had this content: nothing was touched. */
        UNCHANGED,
        /** The file was refused; the previous configuration (if any) stays. */
        REFUSED,
        /** The configuration came from a file that is gone and was deleted. */
        DELETED
    }

    /**
     * @param file    the file name (without directory)
     * @param pid     the configuration's PID, empty when the file name gives none
     * @param outcome what happened
     * @param detail  for {@link Outcome#REFUSED}: where and what the problem is; empty otherwise
     */
    public record FileResult(String file, String pid, Outcome outcome, String detail) {
        public FileResult {
            Objects.requireNonNull(file, "file");
            Objects.requireNonNull(pid, "pid");
            Objects.requireNonNull(outcome, "outcome");
            Objects.requireNonNull(detail, "detail");
        }
    }

    /** True when the directory was read and no file was refused. */
    public boolean clean() {
        return problem.isEmpty() && files.stream().noneMatch(f -> f.outcome() == Outcome.REFUSED);
    }

    public List<FileResult> with(Outcome outcome) {
        return files.stream().filter(f -> f.outcome() == outcome).toList();
    }

    /** One line for logs and shells: counts per outcome. */
    public String summary() {
        if (!problem.isEmpty()) {
            return "configuration directory " + directory + " not applied: " + problem;
        }
        StringBuilder sb = new StringBuilder("configuration directory ").append(directory).append(':');
        for (Outcome o : Outcome.values()) {
            sb.append(' ').append(o.name().toLowerCase(Locale.ROOT)).append('=').append(with(o).size());
        }
        return sb.toString();
    }
}
