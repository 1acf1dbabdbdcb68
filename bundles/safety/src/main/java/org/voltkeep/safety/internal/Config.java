package org.voltkeep.safety.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.voltkeep.charging.FallbackMode;

/**
 * The safety controller's configuration as Configuration Admin delivers it (pid
 * {@code org.voltkeep.safety}). {@link SafetyConfig#from(Config)} maps it to the plain
 * record the pure code uses and validates it.
 */
@ObjectClassDefinition(id = "org.voltkeep.safety", name = "Voltkeep safety controller",
        description = "IEC 61851-1 state machine, fault supervision, limit arbitration and link fallback")
public @interface Config {
    @AttributeDefinition(description = "Largest current this installation may offer, amps (6..80)")
    int configuredMaxCurrentAmps() default 32;

    @AttributeDefinition(description = "Silence on the link after which the fallback applies, wall milliseconds")
    long linkTimeoutMillis() default 3000;

    @AttributeDefinition(description = "What to do while the link is silent")
    FallbackMode fallback() default FallbackMode.SAFE_CURRENT;

    @AttributeDefinition(description = "Current cap while the link is silent and fallback is SAFE_CURRENT, amps (0 or 6..configuredMaxCurrentAmps)")
    int fallbackCurrentAmps() default 6;

    @AttributeDefinition(description = "Temperature above which the limit is derated, °C")
    int derateStartCelsius() default 60;

    @AttributeDefinition(description = "Temperature at which charging stops (OVER_TEMPERATURE), °C")
    int stopCelsius() default 80;

    @AttributeDefinition(description = "Temperature below which OVER_TEMPERATURE clears, °C")
    int resumeCelsius() default 50;

    @AttributeDefinition(description = "Time after an open command by which the feedback must read open, board milliseconds")
    long weldCheckMillis() default 500;

    @AttributeDefinition(description = "Time after a close command by which the feedback must read closed, board milliseconds")
    long closeCheckMillis() default 500;

    @AttributeDefinition(description = "Longest time the contactor stays closed after the offer is withdrawn while the vehicle stays in C, board milliseconds")
    long stopOpenTimeoutMillis() default 3000;

    @AttributeDefinition(description = "The installation ventilates: state D may charge")
    boolean ventilationAvailable() default false;

    @AttributeDefinition(description = "Control cycle period, wall milliseconds")
    long loopPeriodMillis() default 10;

    @AttributeDefinition(description = "Hardware watchdog timeout, milliseconds")
    long watchdogTimeoutMillis() default 2000;

    @AttributeDefinition(description = "Directory for the latched permanent faults (relative paths resolve against the process working directory)")
    String stateDir() default "state/safety";
}
