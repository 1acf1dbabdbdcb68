package org.voltkeep.safety.link.internal;

import java.nio.channels.SocketChannel;
import java.nio.file.attribute.UserPrincipal;

import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;

/** Who is on the other end of a Unix socket, for the log. */
final class PeerCredentials {
    private PeerCredentials() {
    }

    /** "user voltkeep-app, group voltkeep", or why it is unknown. Never throws. */
    static String describe(SocketChannel channel) {
        try {
            UnixDomainPrincipal p = channel.getOption(ExtendedSocketOptions.SO_PEERCRED);
            return "user " + name(p.user()) + ", group " + name(p.group());
        } catch (Exception | LinkageError e) {
            // The option is Linux/macOS only, and jdk.net may be missing from the
            // framework's system packages (the import is optional).
            return "peer credentials unavailable (" + e.getClass().getSimpleName() + ")";
        }
    }

    private static String name(UserPrincipal p) {
        return p == null ? "?" : p.getName();
    }
}
