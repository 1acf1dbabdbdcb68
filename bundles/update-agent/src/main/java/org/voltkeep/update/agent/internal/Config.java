package org.voltkeep.update.agent.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(
        id = UpdateAgent.PID,
        name = "Voltkeep update agent",
        description = "Downloads signed images, has the launcher install them into the other slot and activates them"
                + " when no charging session runs")
public @interface Config {

    @AttributeDefinition(description = "Where images are downloaded and the agent's state file lives; empty means"
            + " <voltkeep.data.dir>/updates")
    String downloadDir() default "";

    @AttributeDefinition(description = "The launcher's boot socket; empty means <voltkeep.run.dir>/boot.sock")
    String bootSocketPath() default "";

    @AttributeDefinition(min = "1", description = "Largest image accepted, in bytes; a download stops as soon as it goes beyond")
    long maxImageBytes() default 256L * 1024 * 1024;

    @AttributeDefinition(min = "0", max = "100", description = "Further download attempts after a failure that may pass"
            + " (connection lost, timeout, server error)")
    int retries() default 5;

    @AttributeDefinition(min = "1", description = "Wait before the first retry, in milliseconds; doubles per retry")
    long backoffInitialMillis() default 1000;

    @AttributeDefinition(min = "1", description = "Longest wait between retries, in milliseconds")
    long backoffMaxMillis() default 60_000;

    @AttributeDefinition(min = "1", description = "Time to connect to the download server, in milliseconds")
    long connectTimeoutMillis() default 10_000;

    @AttributeDefinition(min = "1", description = "Longest wait for the server's answer or the next data, in milliseconds")
    long readTimeoutMillis() default 30_000;

    @AttributeDefinition(description = "A PEM file of extra trust anchors for https servers, trusted besides the JDK's"
            + " default ones; empty means the JDK's only")
    String trustAnchorsPem() default "";

    @AttributeDefinition(min = "1", description = "Longest wait for the launcher's next answer line (install progress), in seconds")
    int bootTimeoutSeconds() default 300;

    @AttributeDefinition(min = "1", description = "Forced update: how long to wait for the contactor to open after the stop, in seconds")
    int stopTimeoutSeconds() default 60;

    @AttributeDefinition(min = "10", description = "How often the charger is looked at while an update waits for it, in milliseconds")
    long chargerPollMillis() default 500;

    @AttributeDefinition(min = "1", description = "After the launcher accepted the activation: how long to wait for it to"
            + " restart this domain before the update counts as failed, in seconds")
    int rebootTimeoutSeconds() default 300;

    @AttributeDefinition(min = "10", description = "How often the launcher is asked whether the new slot was committed, in milliseconds")
    long commitPollMillis() default 2000;
}
