package org.voltkeep.integration.osgi.safety;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.voltkeep.integration.support.DomainChecks.awaitTrue;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;

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
        awaitTrue("charging", () -> {
            ChargerStatus s = controller.status();
            return s.contactorFeedback() && s.currentMilliamps() > 6000;
        }, () -> controller.status().toString());
        ChargerStatus charging = controller.status();
        assertTrue(charging.currentMilliamps() <= 16_000, "draws no more than the EV's 16 A: " + charging.currentMilliamps());
        sim.unplug();
        awaitTrue("unplugged", () -> controller.status().state() == ChargerState.A && !controller.status().contactorCommanded(),
                () -> controller.status().toString());
        assertFalse(sim.contactor().feedbackClosed(), "contactor open after unplug");
    }

    @Test
    public void linkSocketAnswersHello() throws IOException {
        Path socket = Path.of(context.getProperty("voltkeep.run.dir"), "link.sock");
        awaitTrue("link socket", () -> socket.toFile().exists(), () -> socket + " missing");
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            ch.write(ByteBuffer.wrap(LinkCodec.encode(new Message.Hello(1, "osgi-test"))));
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
