package org.voltkeep.shell.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(
        id = ShellCommands.PID,
        name = "Voltkeep shell commands",
        description = "Gogo commands voltkeep:status, authorize, stop, limit, clearlimit, reset, sessions, plug, unplug, update, slots")
public @interface Config {

    @AttributeDefinition(description = "The simulator's control socket; empty means <voltkeep.run.dir>/sim.sock")
    String simSocketPath() default "";

    @AttributeDefinition(description = "Claim id of limits set from the shell")
    String claimId() default "shell";

    @AttributeDefinition(min = "0", max = "100", description = "Priority of limits set from the shell")
    int priority() default 50;

    @AttributeDefinition(min = "1", max = "3600", description = "Time to live of a limit when the command gives none, in seconds")
    int limitTtlSeconds() default 3600;

    @AttributeDefinition(min = "1", max = "60000", description = "How long to wait for the simulator's answer, in milliseconds")
    int simTimeoutMillis() default 2000;
}
