package org.voltkeep.safety.link.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(id = "org.voltkeep.safety.link", name = "Voltkeep safety link server",
        description = "The Unix domain socket through which the application domain sends requests to safety.")
@interface Config {
    @AttributeDefinition(description = "Path of the Unix domain socket; a stale socket file there is replaced.")
    String socketPath();

    @AttributeDefinition(description = "Connections served at once; more are refused with an Error.", min = "1")
    int maxConnections() default 4;

    @AttributeDefinition(description = "Sustained messages per second per connection; more are refused.", min = "1")
    int maxMessagesPerSecond() default 50;

    @AttributeDefinition(description = "Messages a connection may send at once above the sustained rate.", min = "1")
    int burst() default 100;

    @AttributeDefinition(description = "Period of unsolicited status messages, in milliseconds.", min = "10")
    long statusPeriodMillis() default 1000;
}
