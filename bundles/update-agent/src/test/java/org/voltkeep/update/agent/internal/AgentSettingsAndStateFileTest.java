package org.voltkeep.update.agent.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.annotation.Annotation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voltkeep.json.Json;
import org.voltkeep.update.FirmwareStatus;
import org.voltkeep.update.UpdateRequest;
import org.voltkeep.update.UpdateStatus;

class AgentSettingsAndStateFileTest {
    @TempDir
    Path dir;

    /** The configuration as the metatype defaults give it, with a few values changed. */
    private static class Values implements Config {
        String downloadDir = "";
        String bootSocketPath = "";
        String trustAnchorsPem = "";
        long backoffInitialMillis = 1000;
        long backoffMaxMillis = 60_000;

        @Override
        public Class<? extends Annotation> annotationType() {
            return Config.class;
        }

        @Override
        public String downloadDir() {
            return downloadDir;
        }

        @Override
        public String bootSocketPath() {
            return bootSocketPath;
        }

        @Override
        public long maxImageBytes() {
            return 256L * 1024 * 1024;
        }

        @Override
        public int retries() {
            return 5;
        }

        @Override
        public long backoffInitialMillis() {
            return backoffInitialMillis;
        }

        @Override
        public long backoffMaxMillis() {
            return backoffMaxMillis;
        }

        @Override
        public long connectTimeoutMillis() {
            return 10_000;
        }

        @Override
        public long readTimeoutMillis() {
            return 30_000;
        }

        @Override
        public String trustAnchorsPem() {
            return trustAnchorsPem;
        }

        @Override
        public int bootTimeoutSeconds() {
            return 300;
        }

        @Override
        public int stopTimeoutSeconds() {
            return 60;
        }

        @Override
        public long chargerPollMillis() {
            return 500;
        }

        @Override
        public int rebootTimeoutSeconds() {
            return 300;
        }

        @Override
        public long commitPollMillis() {
            return 2000;
        }
    }

    private static final Map<String, String> PROPS = Map.of("voltkeep.data.dir", "/dev1/data", "voltkeep.run.dir", "/dev1/run");

    @Test
    void defaultsComeFromTheFrameworkProperties() {
        AgentSettings s = AgentSettings.from(new Values(), PROPS::get);
        assertThat(s.downloadDir()).isEqualTo(Path.of("/dev1/data/updates"));
        assertThat(s.bootSocket()).isEqualTo(Path.of("/dev1/run/boot.sock"));
        assertThat(s.trustAnchorsPem()).isEmpty();
        assertThat(s.maxImageBytes()).isEqualTo(256L * 1024 * 1024);
    }

    @Test
    void configuredPathsWinAndBadOnesAreRefused() {
        Values v = new Values();
        v.downloadDir = "/var/lib/x";
        v.trustAnchorsPem = "/etc/voltkeep/anchors.pem";
        AgentSettings s = AgentSettings.from(v, PROPS::get);
        assertThat(s.downloadDir()).isEqualTo(Path.of("/var/lib/x"));
        assertThat(s.trustAnchorsPem()).contains(Path.of("/etc/voltkeep/anchors.pem"));

        v.downloadDir = "relative/dir";
        assertThatThrownBy(() -> AgentSettings.from(v, PROPS::get)).hasMessageContaining("downloadDir 'relative/dir' must be an absolute path");
        v.downloadDir = "${voltkeep.data.dir}/updates";
        assertThatThrownBy(() -> AgentSettings.from(v, PROPS::get)).hasMessageContaining("still holds a ${...} reference");
        assertThatThrownBy(() -> AgentSettings.from(new Values(), k -> null))
                .hasMessageContaining("has no downloadDir and the framework property voltkeep.data.dir is not set");
        Values b = new Values();
        b.backoffMaxMillis = 10;
        assertThatThrownBy(() -> AgentSettings.from(b, PROPS::get)).hasMessageContaining("backoffMaxMillis 10 is below backoffInitialMillis 1000");
    }

    @Test
    void backOffDoublesUpToItsMaximum() {
        Values v = new Values();
        v.backoffInitialMillis = 250;
        v.backoffMaxMillis = 1500;
        AgentSettings s = AgentSettings.from(v, PROPS::get);
        assertThat(s.backoff(1)).isEqualTo(Duration.ofMillis(250));
        assertThat(s.backoff(2)).isEqualTo(Duration.ofMillis(500));
        assertThat(s.backoff(3)).isEqualTo(Duration.ofMillis(1000));
        assertThat(s.backoff(4)).isEqualTo(Duration.ofMillis(1500));
        assertThat(s.backoff(60)).isEqualTo(Duration.ofMillis(1500));
    }

    @Test
    void theStateFileRoundTripsAndLeavesNoTemporaryFile() throws Exception {
        StateFile f = new StateFile(dir.resolve("updates"));
        assertThat(f.load()).isEmpty();
        UpdateStatus st = UpdateStatus.begin("r1", UpdateRequest.of("https://example.org/a.vkimg", false),
                Instant.parse("2026-05-01T00:00:00Z")).withStatus(FirmwareStatus.Downloading, "", Instant.parse("2026-05-01T00:00:01Z"));
        AgentState state = new AgentState(st, Optional.of(new AgentState.Resume("https://example.org/a.vkimg", "\"e1\"", "", 1234)));
        f.save(state);
        assertThat(f.load()).contains(state);
        try (var files = Files.list(dir.resolve("updates"))) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly(StateFile.NAME);
        }
    }

    @Test
    void aNewerSchemaIsReadAndDamageIsNamed() throws Exception {
        StateFile f = new StateFile(dir);
        UpdateStatus st = UpdateStatus.begin("r2", UpdateRequest.of("/tmp/a.vkimg", true), Instant.parse("2026-05-01T00:00:00Z"));
        f.save(new AgentState(st, Optional.empty()));
        Json.Obj o = Json.parseObject(Files.readString(f.path()));
        o.put("schemaVersion", 2).put("addedLater", Json.object().put("x", 1));
        Files.writeString(f.path(), o.write());
        assertThat(f.load().map(AgentState::status)).contains(st);

        Files.writeString(f.path(), "{\"schemaVersion\":1,\"update\":{\"requestId\":\"r\"}}");
        assertThatThrownBy(f::load).hasMessageContaining(f.path() + " is damaged: $.update.status: missing");
    }
}
