package org.voltkeep.safety.link.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.SecureRandom;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.voltkeep.safety.api.ChargeController;

/**
 * Runs the {@link LinkServer} while a {@link ChargeController} is present and
 * the configuration exists. It offers no service: nothing in the safety domain
 * calls the link, the link calls the controller. A configuration change restarts
 * the server (no modified method), which drops connections; the client reconnects.
 */
@Designate(ocd = Config.class)
@Component(configurationPid = "org.voltkeep.safety.link", configurationPolicy = ConfigurationPolicy.REQUIRE,
        immediate = true, service = {})
public class SafetyLinkComponent {
    private final LinkServer server;

    @Activate
    public SafetyLinkComponent(@Reference(name = "controller") ChargeController controller, Config config) {
        // A random id per activation: a client seeing a new one knows safety lost its requests.
        long startId = new SecureRandom().nextLong();
        this.server = new LinkServer(LinkServerSettings.from(config), controller, System::nanoTime, startId);
        try {
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException("link server cannot listen on " + config.socketPath(), e);
        }
    }

    @Deactivate
    void deactivate() {
        server.close();
    }
}
