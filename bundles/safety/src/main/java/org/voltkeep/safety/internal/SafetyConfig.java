package org.voltkeep.safety.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import org.voltkeep.charging.FallbackMode;
import org.voltkeep.hal.Current;

/**
 * The configuration values the safety logic uses, free of OSGi so the pure code and
 * its tests need no framework. Building one validates it: an inconsistent
 * configuration is refused with a message that names the keys.
 *
 * @param stateDir where latched permanent faults are kept; empty keeps them in memory
 *                 only (tests), which the component never allows
 */
public record SafetyConfig(
        int configuredMaxCurrentAmps,
        long linkTimeoutMillis,
        FallbackMode fallback,
        int fallbackCurrentAmps,
        int derateStartCelsius,
        int stopCelsius,
        int resumeCelsius,
        long weldCheckMillis,
        long closeCheckMillis,
        long stopOpenTimeoutMillis,
        boolean ventilationAvailable,
        long loopPeriodMillis,
        long watchdogTimeoutMillis,
        Optional<Path> stateDir) {

    /** IEC 61851-1: below 6 A no current can be offered on the pilot. */
    public static final int MIN_OFFER_AMPS = 6;
    /** The largest current the pilot duty can express (IEC 61851-1 Table A.7). */
    public static final int MAX_PILOT_AMPS = 80;

    public SafetyConfig {
        Objects.requireNonNull(fallback, "fallback");
        Objects.requireNonNull(stateDir, "stateDir");
        List<String> problems = new ArrayList<>();
        if (configuredMaxCurrentAmps < MIN_OFFER_AMPS || configuredMaxCurrentAmps > MAX_PILOT_AMPS) {
            problems.add("configuredMaxCurrentAmps (" + configuredMaxCurrentAmps + ") must be within "
                    + MIN_OFFER_AMPS + ".." + MAX_PILOT_AMPS);
        }
        if (linkTimeoutMillis <= 0) {
            problems.add("linkTimeoutMillis (" + linkTimeoutMillis + ") must be positive");
        }
        if (fallbackCurrentAmps != 0
                && (fallbackCurrentAmps < MIN_OFFER_AMPS || fallbackCurrentAmps > configuredMaxCurrentAmps)) {
            problems.add("fallbackCurrentAmps (" + fallbackCurrentAmps + ") must be 0 or within " + MIN_OFFER_AMPS
                    + "..configuredMaxCurrentAmps (" + configuredMaxCurrentAmps + ")");
        }
        if (stopCelsius <= derateStartCelsius) {
            problems.add("stopCelsius (" + stopCelsius + ") must be above derateStartCelsius ("
                    + derateStartCelsius + ")");
        }
        if (resumeCelsius >= stopCelsius) {
            problems.add("resumeCelsius (" + resumeCelsius + ") must be below stopCelsius (" + stopCelsius + ")");
        }
        if (weldCheckMillis <= 0) {
            problems.add("weldCheckMillis (" + weldCheckMillis + ") must be positive");
        }
        if (closeCheckMillis <= 0) {
            problems.add("closeCheckMillis (" + closeCheckMillis + ") must be positive");
        }
        if (stopOpenTimeoutMillis <= 0) {
            problems.add("stopOpenTimeoutMillis (" + stopOpenTimeoutMillis + ") must be positive");
        }
        if (loopPeriodMillis <= 0 || loopPeriodMillis > 1000) {
            problems.add("loopPeriodMillis (" + loopPeriodMillis + ") must be within 1..1000");
        }
        // Two missed cycles must not already trip the watchdog, or a GC pause resets the board.
        if (watchdogTimeoutMillis <= 2 * loopPeriodMillis) {
            problems.add("watchdogTimeoutMillis (" + watchdogTimeoutMillis + ") must exceed twice loopPeriodMillis ("
                    + loopPeriodMillis + ")");
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("safety configuration refused: " + String.join("; ", problems));
        }
    }

    /** The documented defaults, with no state directory. */
    public static SafetyConfig defaults() {
        return new Builder().build();
    }

    /** Maps and validates the Configuration Admin view; an empty {@code stateDir} is refused. */
    public static SafetyConfig from(Config c) {
        String dir = c.stateDir() == null ? "" : c.stateDir().trim();
        if (dir.isEmpty()) {
            throw new IllegalArgumentException("safety configuration refused: stateDir must name a directory, "
                    + "or a welded contactor would be forgotten at restart");
        }
        return new Builder()
                .configuredMaxCurrentAmps(c.configuredMaxCurrentAmps())
                .linkTimeoutMillis(c.linkTimeoutMillis())
                .fallback(c.fallback())
                .fallbackCurrentAmps(c.fallbackCurrentAmps())
                .derateStartCelsius(c.derateStartCelsius())
                .stopCelsius(c.stopCelsius())
                .resumeCelsius(c.resumeCelsius())
                .weldCheckMillis(c.weldCheckMillis())
                .closeCheckMillis(c.closeCheckMillis())
                .stopOpenTimeoutMillis(c.stopOpenTimeoutMillis())
                .ventilationAvailable(c.ventilationAvailable())
                .loopPeriodMillis(c.loopPeriodMillis())
                .watchdogTimeoutMillis(c.watchdogTimeoutMillis())
                .stateDir(Optional.of(Path.of(dir)))
                .build();
    }

    public Current configuredMax() {
        return Current.ofAmps(configuredMaxCurrentAmps);
    }

    public Current fallbackCurrent() {
        return Current.ofAmps(fallbackCurrentAmps);
    }

    public Builder toBuilder() {
        return new Builder()
                .configuredMaxCurrentAmps(configuredMaxCurrentAmps)
                .linkTimeoutMillis(linkTimeoutMillis)
                .fallback(fallback)
                .fallbackCurrentAmps(fallbackCurrentAmps)
                .derateStartCelsius(derateStartCelsius)
                .stopCelsius(stopCelsius)
                .resumeCelsius(resumeCelsius)
                .weldCheckMillis(weldCheckMillis)
                .closeCheckMillis(closeCheckMillis)
                .stopOpenTimeoutMillis(stopOpenTimeoutMillis)
                .ventilationAvailable(ventilationAvailable)
                .loopPeriodMillis(loopPeriodMillis)
                .watchdogTimeoutMillis(watchdogTimeoutMillis)
                .stateDir(stateDir);
    }

    /** Starts from the documented defaults. */
    public static final class Builder {
        private int configuredMaxCurrentAmps = 32;
        private long linkTimeoutMillis = 3000;
        private FallbackMode fallback = FallbackMode.SAFE_CURRENT;
        private int fallbackCurrentAmps = 6;
        private int derateStartCelsius = 60;
        private int stopCelsius = 80;
        private int resumeCelsius = 50;
        private long weldCheckMillis = 500;
        private long closeCheckMillis = 500;
        private long stopOpenTimeoutMillis = 3000;
        private boolean ventilationAvailable;
        private long loopPeriodMillis = 10;
        private long watchdogTimeoutMillis = 2000;
        private Optional<Path> stateDir = Optional.empty();

        public Builder configuredMaxCurrentAmps(int v) {
            configuredMaxCurrentAmps = v;
            return this;
        }

        public Builder linkTimeoutMillis(long v) {
            linkTimeoutMillis = v;
            return this;
        }

        public Builder fallback(FallbackMode v) {
            fallback = v;
            return this;
        }

        public Builder fallbackCurrentAmps(int v) {
            fallbackCurrentAmps = v;
            return this;
        }

        public Builder derateStartCelsius(int v) {
            derateStartCelsius = v;
            return this;
        }

        public Builder stopCelsius(int v) {
            stopCelsius = v;
            return this;
        }

        public Builder resumeCelsius(int v) {
            resumeCelsius = v;
            return this;
        }

        public Builder weldCheckMillis(long v) {
            weldCheckMillis = v;
            return this;
        }

        public Builder closeCheckMillis(long v) {
            closeCheckMillis = v;
            return this;
        }

        public Builder stopOpenTimeoutMillis(long v) {
            stopOpenTimeoutMillis = v;
            return this;
        }

        public Builder ventilationAvailable(boolean v) {
            ventilationAvailable = v;
            return this;
        }

        public Builder loopPeriodMillis(long v) {
            loopPeriodMillis = v;
            return this;
        }

        public Builder watchdogTimeoutMillis(long v) {
            watchdogTimeoutMillis = v;
            return this;
        }

        public Builder stateDir(Optional<Path> v) {
            stateDir = v;
            return this;
        }

        public SafetyConfig build() {
            return new SafetyConfig(configuredMaxCurrentAmps, linkTimeoutMillis, fallback, fallbackCurrentAmps,
                    derateStartCelsius, stopCelsius, resumeCelsius, weldCheckMillis, closeCheckMillis,
                    stopOpenTimeoutMillis, ventilationAvailable, loopPeriodMillis, watchdogTimeoutMillis, stateDir);
        }
    }
}
