package org.voltkeep.launcher;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Properties;

/**
 * Which slot boots. A small versioned file written atomically; the A/B update work
 * extends it with trial attempts and slot verdicts.
 */
record BootState(int formatVersion, String primarySlot) {
    static final int FORMAT = 1;

    BootState {
        if (!primarySlot.equals("a") && !primarySlot.equals("b")) {
            throw new IllegalArgumentException("boot-state: primary slot '" + primarySlot + "' is not a or b");
        }
    }

    static BootState initial() {
        return new BootState(FORMAT, "a");
    }

    static BootState read(DeviceLayout device) throws IOException {
        String text = Files.readString(device.bootState(), StandardCharsets.UTF_8);
        Properties p = new Properties();
        p.load(new StringReader(text));
        String format = p.getProperty("format");
        if (format == null) {
            throw new IOException(device.bootState() + ": no 'format' line");
        }
        int v;
        try {
            v = Integer.parseInt(format.trim());
        } catch (NumberFormatException e) {
            throw new IOException(device.bootState() + ": format '" + format + "' is not a number");
        }
        if (v != FORMAT) {
            throw new IOException(device.bootState() + ": format " + v + " is not supported (this launcher reads " + FORMAT + ")");
        }
        String primary = p.getProperty("primary");
        if (primary == null) {
            throw new IOException(device.bootState() + ": no 'primary' line");
        }
        try {
            return new BootState(v, primary.trim());
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    void write(DeviceLayout device) throws IOException {
        Properties p = new Properties();
        p.setProperty("format", Integer.toString(formatVersion));
        p.setProperty("primary", primarySlot);
        StringWriter w = new StringWriter();
        p.store(w, "voltkeep boot state");
        AtomicFiles.write(device.bootState(), w.toString());
    }
}
