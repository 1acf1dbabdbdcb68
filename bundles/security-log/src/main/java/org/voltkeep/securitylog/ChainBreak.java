package org.voltkeep.securitylog;

import java.util.Objects;

import org.voltkeep.json.Json;

/**
 * The first place where the security log's chain does not hold.
 *
 * @param problem     what is wrong
 * @param line        1-based line number in the file
 * @param expectedSeq the seq the chain expects on that line
 * @param foundSeq    the seq written on that line, 0 when it cannot be read
 * @param message     the reason in words, naming the records involved
 */
public record ChainBreak(ChainProblem problem, long line, long expectedSeq, long foundSeq, String message) {

    public ChainBreak {
        Objects.requireNonNull(problem, "problem");
        Objects.requireNonNull(message, "message");
    }

    public Json.Obj toJson() {
        return Json.object()
                .put("problem", problem)
                .put("line", line)
                .put("expectedSeq", expectedSeq)
                .put("foundSeq", foundSeq)
                .put("message", message);
    }
}
