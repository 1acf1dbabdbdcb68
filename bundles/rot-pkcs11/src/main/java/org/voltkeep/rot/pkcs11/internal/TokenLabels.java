package org.voltkeep.rot.pkcs11.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.voltkeep.rot.api.RotException;

/**
 * Maps a token label to its slot ID. SunPKCS11 selects tokens only by slot ID or list
 * index and exposes no token label, and PKCS#11 itself is out of reach without native
 * code; OpenSC's {@code pkcs11-tool -L} lists both, so a label costs one short child
 * process at open. Configurations that must not depend on OpenSC give {@code slot}.
 */
public final class TokenLabels {

    private static final Pattern SLOT = Pattern.compile("^Slot \\d+ \\(0x([0-9a-fA-F]+)\\):.*$");
    private static final Pattern LABEL = Pattern.compile("^\\s+token label\\s*:\\s?(.*?)\\s*$");
    private static final long TIMEOUT_SECONDS = 20;

    private final String tool;

    /** @param tool the OpenSC {@code pkcs11-tool} executable (a name looked up on PATH, or a path) */
    public TokenLabels(String tool) {
        this.tool = tool;
    }

    public TokenLabels() {
        this("pkcs11-tool");
    }

    /** The slot ID of the one token labelled {@code label}. */
    public long slotOf(Path library, String label) throws RotException {
        String listing = list(library);
        List<Long> matches = new ArrayList<>();
        List<String> labels = new ArrayList<>();
        Long currentSlot = null;
        for (String line : listing.split("\n")) {
            Matcher slot = SLOT.matcher(line);
            if (slot.matches()) {
                currentSlot = Long.parseLong(slot.group(1), 16);
                continue;
            }
            Matcher m = LABEL.matcher(line);
            if (m.matches() && currentSlot != null) {
                labels.add(m.group(1));
                if (m.group(1).equals(label)) {
                    matches.add(currentSlot);
                }
            }
        }
        if (matches.isEmpty()) {
            throw new RotException("no token labelled '" + label + "' in " + library + " (labels present: " + labels + ")");
        }
        if (matches.size() > 1) {
            throw new RotException("token label '" + label + "' is ambiguous in " + library + ": slots " + matches + "; give slot instead");
        }
        return matches.get(0);
    }

    private String list(Path library) throws RotException {
        ProcessBuilder builder = new ProcessBuilder(tool, "--module", library.toString(), "--list-token-slots").redirectErrorStream(true);
        try {
            Process process = builder.start();
            byte[] out = process.getInputStream().readNBytes(1 << 20);
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new RotException(tool + " did not list the slots of " + library + " within " + TIMEOUT_SECONDS + " s");
            }
            String text = new String(out, StandardCharsets.UTF_8);
            if (process.exitValue() != 0) {
                throw new RotException(tool + " could not list the slots of " + library + " (exit " + process.exitValue() + "): " + text.strip());
            }
            return text;
        } catch (IOException e) {
            throw new RotException("a tokenLabel needs OpenSC's " + tool + " to find the slot (" + e.getMessage() + "); install opensc or give slot", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RotException("interrupted while listing the slots of " + library, e);
        }
    }
}
