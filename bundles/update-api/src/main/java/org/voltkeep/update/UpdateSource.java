package org.voltkeep.update;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Where an image comes from: a file on the charger, or an https URL. Made only by
 * {@link #parse(String)}, which refuses anything else with a message that says what
 * is wrong with the text.
 */
public sealed interface UpdateSource permits UpdateSource.LocalFile, UpdateSource.Https {
    /** Longest source text accepted. */
    int MAX_LENGTH = 2048;

    /** The source as it is shown in statuses and logs. */
    String text();

    /** An image file on the charger's own file system. */
    record LocalFile(Path path) implements UpdateSource {
        public LocalFile {
            if (!path.isAbsolute()) {
                throw new IllegalArgumentException("source '" + path + "': a file path must be absolute");
            }
            path = path.normalize();
        }

        @Override
        public String text() {
            return path.toString();
        }
    }

    /** An image behind an https URL (no credentials in it, no fragment). */
    record Https(URI uri) implements UpdateSource {
        public Https {
            if (!"https".equalsIgnoreCase(uri.getScheme())) {
                throw new IllegalArgumentException("source '" + uri + "': only https URLs are accepted");
            }
            if (uri.getHost() == null || uri.getHost().isEmpty()) {
                throw new IllegalArgumentException("source '" + uri + "': the URL has no host name");
            }
            if (uri.getRawUserInfo() != null) {
                throw new IllegalArgumentException("source: credentials in the URL are not accepted (they would end up in statuses and logs)");
            }
            if (uri.getRawFragment() != null) {
                throw new IllegalArgumentException("source '" + uri + "': a URL with a #fragment is not accepted");
            }
        }

        @Override
        public String text() {
            return uri.toString();
        }
    }

    /**
     * An absolute file path ({@code /var/tmp/image.vkimg}), a {@code file:} URI or an
     * {@code https://} URL.
     *
     * @throws IllegalArgumentException naming what is wrong: empty, too long, control
     *                                  characters, a relative path, another scheme, a malformed URL
     */
    static UpdateSource parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("source is empty: give an absolute file path or an https:// URL");
        }
        if (text.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("source is " + text.length() + " characters long (at most " + MAX_LENGTH + ")");
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                throw new IllegalArgumentException("source contains a control character at position " + i);
            }
        }
        if (!text.equals(text.strip())) {
            throw new IllegalArgumentException("source '" + text + "' starts or ends with blanks");
        }
        if (text.startsWith("/")) {
            try {
                return new LocalFile(Path.of(text));
            } catch (InvalidPathException e) {
                throw new IllegalArgumentException("source '" + text + "' is not a valid file path: " + e.getReason());
            }
        }
        int colon = text.indexOf(':');
        String scheme = colon > 0 ? text.substring(0, colon).toLowerCase(Locale.ROOT) : "";
        if (!scheme.matches("[a-z][a-z0-9+.-]*")) {
            throw new IllegalArgumentException("source '" + text + "': a file path must be absolute (the charger resolves"
                    + " nothing relative to a caller's directory), or give an https:// URL");
        }
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("source '" + text + "' is not a valid URL: " + e.getMessage());
        }
        return switch (scheme) {
            case "https" -> new Https(uri);
            case "file" -> {
                if (uri.getRawAuthority() != null && !uri.getRawAuthority().isEmpty()
                        && !uri.getRawAuthority().equalsIgnoreCase("localhost")) {
                    throw new IllegalArgumentException("source '" + text + "': a file: URL must name a local file (file:///path)");
                }
                if (uri.getPath() == null || !uri.getPath().startsWith("/")) {
                    throw new IllegalArgumentException("source '" + text + "': a file: URL needs an absolute path (file:///path)");
                }
                yield new LocalFile(Path.of(uri.getPath()));
            }
            case "http" -> throw new IllegalArgumentException("source '" + text
                    + "': plain http is not accepted; use https");
            default -> throw new IllegalArgumentException("source '" + text + "': scheme '" + scheme
                    + "' is not supported (an absolute file path, file:///path or https://)");
        };
    }
}
