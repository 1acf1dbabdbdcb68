package org.voltkeep.rot.pkcs11;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Arrays;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.voltkeep.rot.api.RotException;

/**
 * Which token to use and how to log in, from a small properties file
 * ({@code --pkcs11-config FILE} on the command line):
 *
 * <pre>
 * library    = /usr/lib/softhsm/libsofthsm2.so   # the PKCS#11 module
 * slot       = 1437311682                        # the slot ID, or
 * slotListIndex = 0                              # the position in the slot list, or
 * tokenLabel = voltkeep                          # the token label (needs pkcs11-tool from OpenSC)
 * pin        = 1234                              # the user PIN, or
 * pinFile    = pin.txt                           # a file holding it (relative to this file)
 * </pre>
 *
 * The PIN is never logged and never part of {@link #toString()}.
 */
public final class Pkcs11Config {

    /** Which token of the module. */
    public sealed interface TokenSelector permits Slot, SlotListIndex, TokenLabel {
    }

    /** A slot by its PKCS#11 slot ID (as {@code softhsm2-util --show-slots} prints it). */
    public record Slot(long id) implements TokenSelector {
        @Override
        public String toString() {
            return "slot " + id;
        }
    }

    /** A slot by its position in the module's slot list. */
    public record SlotListIndex(int index) implements TokenSelector {
        public SlotListIndex {
            if (index < 0) {
                throw new IllegalArgumentException("slotListIndex " + index + " is negative");
            }
        }

        @Override
        public String toString() {
            return "slot list index " + index;
        }
    }

    /** The slot whose token carries this label. */
    public record TokenLabel(String label) implements TokenSelector {
        public TokenLabel {
            if (label == null || label.isBlank() || label.length() > 32) {
                throw new IllegalArgumentException("token label '" + label + "' must have 1 to 32 characters");
            }
        }

        @Override
        public String toString() {
            return "token label '" + label + "'";
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(Pkcs11Config.class);
    private static final Set<String> KEYS = Set.of("library", "slot", "slotListIndex", "tokenLabel", "pin", "pinFile");
    private static final int MAX_FILE_BYTES = 4096;

    private final Path library;
    private final TokenSelector token;
    private final char[] pin;

    public Pkcs11Config(Path library, TokenSelector token, char[] pin) {
        this.library = Objects.requireNonNull(library, "library").toAbsolutePath().normalize();
        this.token = Objects.requireNonNull(token, "token");
        this.pin = Objects.requireNonNull(pin, "pin").clone();
        String text = this.library.toString();
        if (text.indexOf('"') >= 0 || text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0) {
            throw new IllegalArgumentException("PKCS#11 library path " + text + " contains a quote or a line break");
        }
        if (this.pin.length == 0) {
            throw new IllegalArgumentException("PKCS#11 PIN is empty");
        }
    }

    /**
     * Reads a config file; the messages name the file and the key that is wrong, never the PIN.
     */
    public static Pkcs11Config load(Path file) throws RotException {
        Properties properties = new Properties();
        try {
            if (Files.size(file) > MAX_FILE_BYTES) {
                throw new RotException("PKCS#11 config " + file + " is larger than " + MAX_FILE_BYTES + " bytes");
            }
            try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                properties.load(reader);
            }
        } catch (NoSuchFileException e) {
            throw new RotException("PKCS#11 config " + file + " does not exist", e);
        } catch (IOException | IllegalArgumentException e) {
            throw new RotException("cannot read PKCS#11 config " + file + ": " + e.getMessage(), e);
        }
        Set<String> unknown = new TreeSet<>(properties.stringPropertyNames());
        unknown.removeAll(KEYS);
        if (!unknown.isEmpty()) {
            throw new RotException("PKCS#11 config " + file + " has unknown keys " + unknown + " (known: " + new TreeSet<>(KEYS) + ")");
        }
        String library = properties.getProperty("library");
        if (library == null || library.isBlank()) {
            throw new RotException("PKCS#11 config " + file + " lacks 'library' (the PKCS#11 module, e.g. /usr/lib/softhsm/libsofthsm2.so)");
        }
        Path libraryPath = Path.of(library.strip());
        if (!Files.isRegularFile(libraryPath)) {
            throw new RotException("PKCS#11 config " + file + ": library " + libraryPath + " does not exist");
        }
        int selectors = count(properties, "slot", "slotListIndex", "tokenLabel");
        if (selectors != 1) {
            throw new RotException("PKCS#11 config " + file + " must name the token with exactly one of slot, slotListIndex, tokenLabel (found " + selectors + ")");
        }
        TokenSelector token;
        try {
            if (properties.containsKey("slot")) {
                token = new Slot(Long.parseLong(properties.getProperty("slot").strip()));
            } else if (properties.containsKey("slotListIndex")) {
                token = new SlotListIndex(Integer.parseInt(properties.getProperty("slotListIndex").strip()));
            } else {
                token = new TokenLabel(properties.getProperty("tokenLabel").strip());
            }
        } catch (IllegalArgumentException e) {
            throw new RotException("PKCS#11 config " + file + ": bad token selector: " + e.getMessage(), e);
        }
        if (count(properties, "pin", "pinFile") != 1) {
            throw new RotException("PKCS#11 config " + file + " must give exactly one of pin, pinFile");
        }
        char[] pin;
        if (properties.containsKey("pin")) {
            pin = properties.getProperty("pin").strip().toCharArray();
            warnIfReadableByOthers(file);
        } else {
            Path pinFile = file.toAbsolutePath().getParent().resolve(properties.getProperty("pinFile").strip());
            pin = readPinFile(file, pinFile);
            warnIfReadableByOthers(pinFile);
        }
        if (pin.length == 0) {
            throw new RotException("PKCS#11 config " + file + ": the PIN is empty");
        }
        try {
            return new Pkcs11Config(libraryPath, token, pin);
        } finally {
            Arrays.fill(pin, '\0');
        }
    }

    public Path library() {
        return library;
    }

    public TokenSelector token() {
        return token;
    }

    /** A copy of the PIN; callers clear it after use. */
    public char[] pin() {
        return pin.clone();
    }

    @Override
    public String toString() {
        return "PKCS#11 token at " + token + " via " + library;
    }

    private static int count(Properties properties, String... keys) {
        int n = 0;
        for (String k : keys) {
            if (properties.containsKey(k)) {
                n++;
            }
        }
        return n;
    }

    private static char[] readPinFile(Path config, Path pinFile) throws RotException {
        try {
            if (Files.size(pinFile) > 256) {
                throw new RotException("PIN file " + pinFile + " (from " + config + ") is larger than a PIN");
            }
            return Files.readString(pinFile, StandardCharsets.UTF_8).strip().toCharArray();
        } catch (NoSuchFileException e) {
            throw new RotException("PIN file " + pinFile + " (from " + config + ") does not exist", e);
        } catch (IOException e) {
            throw new RotException("cannot read PIN file " + pinFile + " (from " + config + "): " + e.getMessage(), e);
        }
    }

    private static void warnIfReadableByOthers(Path file) {
        try {
            Set<PosixFilePermission> mode = Files.getPosixFilePermissions(file);
            if (mode.contains(PosixFilePermission.GROUP_READ) || mode.contains(PosixFilePermission.OTHERS_READ)) {
                LOG.warn("{} holds the token PIN and is readable by group or others; make it 0600", file);
            }
        } catch (IOException | UnsupportedOperationException e) {
            LOG.debug("cannot check the mode of {}: {}", file, e.toString());
        }
    }
}
