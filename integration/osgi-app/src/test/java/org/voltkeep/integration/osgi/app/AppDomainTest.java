package org.voltkeep.integration.osgi.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.voltkeep.integration.support.DomainChecks.awaitTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.context.BundleContextExtension;
import org.osgi.test.junit5.service.ServiceExtension;
import org.voltkeep.charging.ChargingService;
import org.voltkeep.charging.ErrorCode;
import org.voltkeep.charging.LinkState;
import org.voltkeep.charging.Reply;
import org.voltkeep.health.HealthCheck;
import org.voltkeep.health.HealthResult;
import org.voltkeep.integration.support.DomainChecks;
import org.voltkeep.json.Json;
import org.voltkeep.update.FirmwareStatus;
import org.voltkeep.update.UpdateException;
import org.voltkeep.update.UpdateService;
import org.voltkeep.update.UpdateStatus;

/**
 * The application domain's real bundle set in a real Felix framework, started
 * without a safety domain: everything comes up, reports the missing link
 * honestly, and the control socket answers the command line.
 */
@ExtendWith(BundleContextExtension.class)
@ExtendWith(ServiceExtension.class)
public class AppDomainTest {
    @InjectBundleContext
    BundleContext context;

    @Test
    public void everyVoltkeepComponentIsSatisfiedOrActive(@InjectService ServiceComponentRuntime scr) {
        awaitTrue("all components active", () -> DomainChecks.problems(context, scr).isEmpty(),
                () -> String.join("; ", DomainChecks.problems(context, scr)));
        long components = DomainChecks.componentCount(context, scr);
        assertTrue(components >= 6, "expected link client, sessions, control, shell, update agent and config components, found "
                + components);
    }

    @Test
    public void withoutSafetyTheServiceSaysDisconnectedAndRefuses(@InjectService(timeout = 20_000) ChargingService charging) {
        assertEquals(LinkState.DISCONNECTED, charging.linkState());
        assertTrue(charging.status().isEmpty());
        Reply r = charging.authorize("osgi-test");
        assertFalse(r.accepted());
        assertTrue(r.code() == ErrorCode.NOT_CONNECTED || r.code() == ErrorCode.TIMEOUT, "refused because safety is absent: " + r);
    }

    @Test
    public void controlSocketAnswersPingAndStatus() throws IOException {
        Path socket = Path.of(context.getProperty("voltkeep.run.dir"), "app.sock");
        awaitTrue("control socket", () -> socket.toFile().exists(), () -> socket + " missing");
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(ch), StandardCharsets.UTF_8));
            ch.write(ByteBuffer.wrap("{\"cmd\":\"ping\"}\n{\"cmd\":\"status\"}\n{\"cmd\":\"bogus\"}\n".getBytes(StandardCharsets.UTF_8)));
            Json.Obj ping = Json.parseObject(in.readLine());
            assertTrue(ping.bool("ok"));
            Json.Obj status = Json.parseObject(in.readLine());
            assertTrue(status.bool("ok"));
            assertEquals("DISCONNECTED", status.string("link"));
            Json.Obj bogus = Json.parseObject(in.readLine());
            assertFalse(bogus.bool("ok"));
            assertTrue(bogus.string("error").contains("bogus"), "names the unknown command: " + bogus.write());
        }
    }

    /** Sends lines to the control socket and reads one answer per line. */
    private List<Json.Obj> control(String... lines) throws IOException {
        Path socket = Path.of(context.getProperty("voltkeep.run.dir"), "app.sock");
        awaitTrue("control socket", () -> socket.toFile().exists(), () -> socket + " missing");
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            ch.connect(UnixDomainSocketAddress.of(socket));
            BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(ch), StandardCharsets.UTF_8));
            List<Json.Obj> answers = new ArrayList<>();
            for (String l : lines) {
                ch.write(ByteBuffer.wrap((l + "\n").getBytes(StandardCharsets.UTF_8)));
                answers.add(Json.parseObject(in.readLine()));
            }
            return answers;
        }
    }

    @Test
    public void healthWithoutSafetyIsUnhealthyAndListsRegisteredChecks() throws IOException {
        ServiceRegistration<HealthCheck> reg = context.registerService(HealthCheck.class, new HealthCheck() {
            @Override
            public String name() {
                return "image-extra";
            }

            @Override
            public HealthResult check() {
                return HealthResult.pass("declared by the image");
            }
        }, null);
        try {
            Json.Obj health = control("{\"cmd\":\"health\"}").get(0);
            assertTrue(health.bool("ok"));
            assertFalse(health.bool("healthy"), "no safety domain here: " + health.write());
            String checks = health.arr("checks").write();
            assertTrue(checks.contains("{\"name\":\"link\",\"passed\":false"), checks);
            assertTrue(checks.contains("{\"name\":\"image-extra\",\"passed\":true,\"detail\":\"declared by the image\"}"), checks);
        } finally {
            reg.unregister();
        }
    }

    @Test
    public void theUpdateAgentRunsWithoutABootSocketAndSaysSoWhenUsed(@InjectService(timeout = 20_000) UpdateService updates)
            throws Exception {
        Path image = Files.write(Path.of(context.getProperty("voltkeep.data.dir")).resolve("test-image.vkimg"), new byte[4096]);
        List<Json.Obj> answers = control(
                "{\"cmd\":\"update-install\",\"source\":\"" + image.getParent().resolve("missing.vkimg") + "\"}",
                "{\"cmd\":\"update-install\",\"source\":\"http://example.org/x\"}");
        assertEquals("image file " + image.getParent().resolve("missing.vkimg") + " does not exist", answers.get(0).string("error"));
        assertTrue(answers.get(1).string("error").contains("plain http is not accepted"), answers.get(1).write());

        Json.Obj started = control("{\"cmd\":\"update-install\",\"source\":\"" + image + "\"}").get(0);
        assertTrue(started.bool("ok"), started.write());
        String id = started.obj("update").string("requestId");
        awaitTrue("the install fails for want of the launcher's boot socket",
                () -> updates.status().map(u -> u.requestId().equals(id) && u.status() == FirmwareStatus.InstallationFailed)
                        .orElse(false),
                () -> String.valueOf(updates.status()));
        UpdateStatus end = updates.status().orElseThrow();
        assertTrue(end.reason().contains("boot.sock is not there"), end.reason());
        Json.Obj viaSocket = control("{\"cmd\":\"update-status\"}").get(0);
        assertEquals("InstallationFailed", viaSocket.obj("update").string("status"));
        UpdateException slots = assertThrows(UpdateException.class, updates::slots);
        assertTrue(slots.getMessage().contains("is not there"), slots.getMessage());
    }

    @Test
    public void shellCommandsAreRegistered() throws InvalidSyntaxException {
        var refs = context.getServiceReferences((String) null, "(osgi.command.scope=voltkeep)");
        assertTrue(refs != null && refs.length > 0, "a voltkeep command service");
        String functions = String.valueOf(java.util.Arrays.deepToString(new Object[] {refs[0].getProperty("osgi.command.function")}));
        for (String f : List.of("status", "authorize", "stop", "limit", "plug", "unplug", "update", "slots")) {
            assertTrue(functions.contains(f), "command " + f + " in " + functions);
        }
    }

}
