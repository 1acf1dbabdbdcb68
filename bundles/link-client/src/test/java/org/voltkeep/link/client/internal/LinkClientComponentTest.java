package org.voltkeep.link.client.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.annotation.Annotation;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voltkeep.charging.ChargerState;
import org.voltkeep.charging.ChargerStatusListener;
import org.voltkeep.charging.LinkState;
import org.voltkeep.charging.Reply;
import org.voltkeep.link.LinkCodec;
import org.voltkeep.link.Message;

class LinkClientComponentTest {
    @TempDir
    Path dir;

    /** The configuration as Configuration Admin would hand it over. */
    private static Config config(String socketPath) {
        return new Config() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return Config.class;
            }

            @Override
            public String socketPath() {
                return socketPath;
            }

            @Override
            public long keepAliveMillis() {
                return 500;
            }

            @Override
            public long requestTimeoutMillis() {
                return 2000;
            }

            @Override
            public long reconnectMillis() {
                return 20;
            }

            @Override
            public long reconnectMaxMillis() {
                return 200;
            }
        };
    }

    @Test
    void theComponentLinksAndFeedsWhiteboardListeners() throws Exception {
        Path socket = dir.resolve("link.sock");
        try (FakeSafety safety = new FakeSafety(socket, 9)) {
            List<Long> seen = new CopyOnWriteArrayList<>();
            ChargerStatusListener listener = (p, s) -> seen.add(s.boardMillis());
            LinkClientComponent component = new LinkClientComponent(config(socket.toString()));
            try {
                component.addStatusListener(listener);
                assertThat(safety.next()).isEqualTo(new Message.Hello(LinkCodec.PROTOCOL_VERSION, LinkClientComponent.PEER_NAME));
                long deadline = System.nanoTime() + FakeSafety.WAIT.toNanos();
                while (component.linkState() != LinkState.UP) {
                    assertThat(System.nanoTime()).isLessThan(deadline);
                    Thread.sleep(5);
                }
                assertThat(component.authorize("TAG")).isEqualTo(Reply.OK);
                safety.push(new Message.StatusMessage(LinkClientTest.status(77, ChargerState.B1)));
                while (!seen.contains(77L)) {
                    assertThat(System.nanoTime()).isLessThan(deadline);
                    Thread.sleep(5);
                }
                assertThat(component.status()).isPresent();
                component.removeStatusListener(listener);
            } finally {
                component.deactivate();
            }
            assertThat(component.linkState()).isEqualTo(LinkState.DISCONNECTED);
        }
    }

    @Test
    void aMissingSocketPathIsAConfigurationError() {
        assertThatThrownBy(() -> new LinkClientComponent(config(" ")))
                .hasMessage("socketPath of org.voltkeep.link.client is not configured");
    }
}
