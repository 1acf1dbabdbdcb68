package org.voltkeep.securitylog;

import java.nio.file.Path;
import java.time.Clock;

import org.voltkeep.json.Json;

/**
 * Run by {@link ConcurrentAppendTest} in child processes: appends COUNT records
 * labelled WRITER to FILE, as the launcher and a domain would.
 */
public final class AppendMain {
    private AppendMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            throw new IllegalArgumentException("usage: AppendMain FILE COUNT WRITER");
        }
        SecurityLog log = new SecurityLog(Path.of(args[0]), Clock.systemUTC());
        int count = Integer.parseInt(args[1]);
        for (int i = 0; i < count; i++) {
            log.append(SecurityEvent.INVALID_MESSAGES, args[2] + " #" + i, Json.object().put("writer", args[2]).put("i", i));
        }
    }
}
