package org.voltkeep.sim.control.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of the simulator (pid {@code org.voltkeep.sim.control}); present only when the device runs a simulated board. */
@ObjectClassDefinition(id = "org.voltkeep.sim.control", name = "Voltkeep simulated board",
        description = "Simulated charger board, its runner and the simulator control socket")
public @interface Config {
    @AttributeDefinition(description = "Unix domain socket of the JSON-lines simulator control protocol (created with mode 0600)")
    String socketPath();

    @AttributeDefinition(description = "Board time per wall time at start (1 = real time, up to 10000)")
    double speed() default 1.0;

    @AttributeDefinition(description = "Current rating of the simulated board's power path, amps (6..80)")
    int hardwareRatingAmps() default 32;
}
