package org.voltkeep.update.agent.internal;

import java.util.Objects;
import java.util.Optional;

import org.voltkeep.update.UpdateStatus;

/**
 * What the agent keeps in its state file: the latest update's status, and what a
 * partial https download needs to resume (the URL and the server's validator).
 */
record AgentState(UpdateStatus status, Optional<Resume> resume) {
    AgentState {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(resume, "resume");
    }

    /**
     * A partial download may be continued only from the same URL and only while the
     * server still names the same content: a strong ETag, or else Last-Modified (the
     * validators HTTP's If-Range accepts).
     *
     * @param total the full length the server announced, -1 when it did not
     */
    record Resume(String url, String etag, String lastModified, long total) {
        Resume {
            Objects.requireNonNull(url, "url");
            etag = etag == null ? "" : etag;
            lastModified = lastModified == null ? "" : lastModified;
        }

        /** The If-Range value, empty when the server gave no validator fit for it. */
        Optional<String> ifRange() {
            if (!etag.isEmpty() && !etag.startsWith("W/")) {
                return Optional.of(etag);
            }
            return lastModified.isEmpty() ? Optional.empty() : Optional.of(lastModified);
        }
    }

    AgentState with(UpdateStatus next) {
        return new AgentState(next, resume);
    }

    AgentState withResume(Optional<Resume> r) {
        return new AgentState(status, r);
    }
}
