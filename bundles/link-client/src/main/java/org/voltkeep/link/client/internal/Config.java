package org.voltkeep.link.client.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(id = "org.voltkeep.link.client", name = "Voltkeep link client",
        description = "The application domain's connection to the safety domain.")
@interface Config {
    @AttributeDefinition(description = "Path of the safety domain's Unix domain socket.")
    String socketPath();

    @AttributeDefinition(description = "Period of keep-alive messages, in milliseconds. Keep it well below "
            + "safety's link timeout.", min = "10")
    long keepAliveMillis() default 500;

    @AttributeDefinition(description = "How long a request waits for safety's answer, in milliseconds.", min = "10")
    long requestTimeoutMillis() default 2000;

    @AttributeDefinition(description = "First wait before reconnecting, in milliseconds; doubles per failure.", min = "10")
    long reconnectMillis() default 250;

    @AttributeDefinition(description = "Longest wait between reconnect attempts, in milliseconds.", min = "10")
    long reconnectMaxMillis() default 5000;
}
