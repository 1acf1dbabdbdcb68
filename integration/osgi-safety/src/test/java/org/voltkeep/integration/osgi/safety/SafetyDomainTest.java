package org.voltkeep.integration.osgi.safety;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.voltkeep.integration.support.DomainChecks.awaitTrue;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;
import org.voltkeep.charging.ChargerState;
import org.voltkeep.charging.ChargerStatus;
import org.voltkeep.charging.LimitSource;
import org.voltkeep.charging.LinkState;
import org.voltkeep.hal.Board;
import org.voltkeep.hal.CableRating;
import org.voltkeep.hal.sim.EvProfile;
import org.voltkeep.hal.sim.SimulatedBoard;
import org.voltkeep.integration.support.DomainChecks;
import org.voltkeep.link.LinkCodec;
import org.voltkeep.link.Message;
import org.voltkeep.safety.api.ChargeController;

/**
 * The safety domain's real bundle set, with its real configuration files, in a
 * real Felix framework: every component comes up, a session charges on the
 * simulated board, and the link socket answers.
 */
@ExtendWith(BundleContextExtension.class)
@ExtendWith(ServiceExtension.class)
public class SafetyDomainTest {
    @InjectBundleContext
    BundleContext context;

    @Test
    public void everyVoltkeepComponentIsSatisfiedOrActive(@InjectService ServiceComponentRuntime scr) {
        awaitTrue("all components active", () -> DomainChecks.problems(context, scr).isEmpty(),
                () -> String.join("; ", DomainChecks.problems(context, scr)));
        long components = DomainChecks.componentCount(context, scr);
        assertTrue(components >= 4, "expected the controller, link server, simulator and config loader components, found " + components);
    }

    @Test
    public void chargesASessionOnTheSimulatedBoard(@InjectService(timeout = 20_000) ChargeController controller,
            @InjectService(timeout = 20_000) Board board) {
        assertEquals("sim", board.kind());
        SimulatedBoard sim = (SimulatedBoard) board;
        awaitTrue("self-test passed", () -> controller.status().selfTestPassed(), () -> controller.status().toString());
        sim.plugIn(EvProfile.standard(), CableRating.A32);
        awaitTrue("vehicle seen", () -> controller.status().state() != ChargerState.A, () -> controller.status().toString());
        assertTrue(controller.authorize("osgi-test").accepted());
        // No application domain in this framework: the link is silent, so safety
        // charges at its fallback current and no more.
        awaitTrue("charging at the fallback current", () -> {
            ChargerStatus s = controller.status();
            return s.contactorFeedback() && s.currentMilliamps() > 0;
        }, () -> controller.status().toString());
        ChargerStatus fallback = controller.status();
        assertEquals(LinkState.SILENT_FALLBACK, fallback.link());
        assertEquals(LimitSource.LINK_FALLBACK, fallback.limitSource());
        assertTrue(fallback.currentMilliamps() <= 6_000, "at most 6 A while silent: " + fallback);

        // Heartbeats as the link server gives them: the link is up and the car gets its 16 A.
        ScheduledExecutorService beat = Executors.newSingleThreadScheduledExecutor();
        try {
            beat.scheduleAtFixedRate(controller::linkHeartbeat, 0, 100, TimeUnit.MILLISECONDS);
            awaitTrue("charging at the car's maximum", () -> {
                ChargerStatus s = controller.status();
                return s.link() == LinkState.UP && s.currentMilliamps() > 15_000;
            }, () -> controller.status().toString());
            assertTrue(controller.status().currentMilliamps() <= 16_000, "no more than the car's 16 A");
        } finally {
            beat.shutdownNow();
        }
        sim.unplug();
        awaitTrue("unplugged", () -> controller.status().state() == ChargerState.A && !controller.status().contactorCommanded(),
                () -> controller.status().toString());
        // the contacts follow the command after their travel time
        awaitTrue("contacts open after unplug", () -> !sim.contactor().feedbackClosed(), () -> controller.status().toString());
    }

    @Test
    public void linkSocketAnswersHello() throws IOException {
        Path socket = Path.of(context.getProperty("voltkeep.run.dir"), "link.sock");
        awaitTrue("link socket", () -> socket.toFile().exists(), () -> socket + " missing");
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            ch.write(ByteBuffer.wrap(LinkCodec.encode(new Message.Hello(LinkCodec.PROTOCOL_VERSION, "osgi-test"))));
            ByteBuffer len = ByteBuffer.allocate(2);
            while (len.hasRemaining()) {
                if (ch.read(len) < 0) {
                    throw new IOException("link closed");
                }
            }
            ByteBuffer payload = ByteBuffer.allocate(len.flip().getShort() & 0xffff);
            while (payload.hasRemaining()) {
                if (ch.read(payload) < 0) {
                    throw new IOException("link closed");
                }
            }
            Message answer = LinkCodec.decode(payload.flip());
            assertTrue(answer instanceof Message.HelloAck, "expected HelloAck, got " + answer);
        }
    }

}
