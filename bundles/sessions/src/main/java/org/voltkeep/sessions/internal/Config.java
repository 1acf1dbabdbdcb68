package org.voltkeep.sessions.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(
        id = SessionRecorder.PID,
        name = "Voltkeep session recorder",
        description = "Records every charging session to <dataDir>/sessions/sessions.jsonl")
public @interface Config {

    @AttributeDefinition(description = "Data directory that survives updates (the configuration file sets it to "
            + "${voltkeep.data.dir}); empty means the framework property voltkeep.data.dir")
    String dataDir() default "";

    @AttributeDefinition(min = "1", max = "10000", description = "How many ended sessions are kept in memory for recent()")
    int recentLimit() default 100;
}
