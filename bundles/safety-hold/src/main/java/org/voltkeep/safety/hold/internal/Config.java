package org.voltkeep.safety.hold.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The hold's configuration as Configuration Admin delivers it (pid
 * {@code org.voltkeep.safety.hold}). {@link HoldSettings#from(Config)} validates it.
 * Nothing here can make the hold offer current: there is no such setting.
 */
@ObjectClassDefinition(id = "org.voltkeep.safety.hold", name = "Voltkeep safety hold",
        description = "Recovery image safety domain: contactor held open, pilot at state F, every charging request refused")
public @interface Config {
    @AttributeDefinition(description = "Cycle period, wall milliseconds (1..1000); input changes wake the cycle at once")
    long loopPeriodMillis() default 10;

    @AttributeDefinition(description = "Hardware watchdog timeout, milliseconds; more than twice the period")
    long watchdogTimeoutMillis() default 2000;

    @AttributeDefinition(description = "How long the contactor feedback may read closed while commanded open before it counts as welded, board milliseconds (1..60000)")
    long feedbackCheckMillis() default 500;

    @AttributeDefinition(description = "Silence on the link after which the status reports SILENT_FALLBACK, wall milliseconds (100..600000)")
    long linkTimeoutMillis() default 3000;
}
