package org.voltkeep.control.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(
        id = ControlSocket.PID,
        name = "Voltkeep control socket",
        description = "Local JSON-lines control socket for the voltkeep command line")
public @interface Config {

    @AttributeDefinition(description = "Path of the Unix domain socket; empty means <voltkeep.run.dir>/app.sock")
    String socketPath() default "";

    @AttributeDefinition(min = "1", max = "64", description = "Clients served at once")
    int maxClients() default 8;

    @AttributeDefinition(min = "1", max = "10000", description = "Status events queued per watching client before the oldest are dropped")
    int watchQueue() default 64;

    @AttributeDefinition(min = "100", description = "health: board time must have advanced within this many milliseconds")
    long healthFreshMillis() default 3000;

    @AttributeDefinition(min = "10", description = "health: time limit of each registered health check, in milliseconds")
    long healthCheckTimeoutMillis() default 2000;
}
