package org.voltkeep.update;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UpdateContractTest {

    @Test
    void statusNamesAreOcppFirmwareStatusNames() {
        // OCPP 2.0.1 FirmwareStatusEnumType (the subset a charger reports for an install it runs)
        assertThat(Arrays.stream(FirmwareStatus.values()).map(Enum::name)).containsExactly(
                "Downloading", "Downloaded", "DownloadFailed", "SignatureVerified", "InvalidSignature", "InstallScheduled",
                "Installing", "InstallRebooting", "Installed", "InstallVerificationFailed", "InstallationFailed");
    }

    @Test
    void onlyTheEndsAreTerminalAndOnlyInstalledIsSuccess() {
        for (FirmwareStatus s : FirmwareStatus.values()) {
            boolean end = s.name().endsWith("Failed") || s == FirmwareStatus.InvalidSignature || s == FirmwareStatus.Installed;
            assertThat(s.terminal()).as(s.name()).isEqualTo(end);
            assertThat(s.failed()).as(s.name()).isEqualTo(end && s != FirmwareStatus.Installed);
        }
    }

    @Test
    void acceptedSources() {
        assertThat(UpdateSource.parse("/var/tmp/../tmp/new.vkimg")).isEqualTo(new UpdateSource.LocalFile(Path.of("/var/tmp/new.vkimg")));
        assertThat(UpdateSource.parse("file:///var/tmp/new.vkimg")).isEqualTo(new UpdateSource.LocalFile(Path.of("/var/tmp/new.vkimg")));
        assertThat(UpdateSource.parse("https://updates.example.org:8443/c/2.0.0.vkimg?k=v"))
                .isEqualTo(new UpdateSource.Https(URI.create("https://updates.example.org:8443/c/2.0.0.vkimg?k=v")));
        assertThat(UpdateSource.parse("HTTPS://example.org/x")).isInstanceOf(UpdateSource.Https.class);
        UpdateRequest r = UpdateRequest.of("/tmp/x.vkimg", true);
        assertThat(r.force()).isTrue();
        assertThat(r.source().text()).isEqualTo("/tmp/x.vkimg");
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
        "''|source is empty",
        "'   '|source is empty",
        "image.vkimg|a file path must be absolute",
        "./image.vkimg|a file path must be absolute",
        "http://example.org/x.vkimg|plain http is not accepted",
        "ftp://example.org/x.vkimg|scheme 'ftp' is not supported",
        "https:///x.vkimg|has no host name",
        "https://user:secret@example.org/x|credentials in the URL",
        "https://example.org/x#part|#fragment",
        "https://exa mple.org/x|not a valid URL",
        "file://otherhost/x|must name a local file",
        "' /tmp/x'|starts or ends with blanks",
    })
    void refusedSourcesSayWhatIsWrong(String source, String expected) {
        assertThatThrownBy(() -> UpdateSource.parse(source)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(expected);
    }

    @Test
    void overlongAndControlCharactersAreRefused() {
        assertThatThrownBy(() -> UpdateSource.parse("/" + "x".repeat(UpdateSource.MAX_LENGTH)))
                .hasMessageContaining("at most " + UpdateSource.MAX_LENGTH);
        assertThatThrownBy(() -> UpdateSource.parse("/tmp/a\nb")).hasMessageContaining("control character at position 6");
        assertThatThrownBy(() -> UpdateSource.parse(null)).hasMessageContaining("empty");
    }

    @Test
    void statusStepsKeepTheRestOfTheSnapshot() {
        Instant t0 = Instant.parse("2026-01-02T03:04:05Z");
        Instant t1 = t0.plusSeconds(5);
        UpdateStatus s = UpdateStatus.begin("r1", UpdateRequest.of("/tmp/x.vkimg", false), t0)
                .withProgress("download", 10, 100, t1)
                .withStatus(FirmwareStatus.Downloaded, "", t1)
                .withInstalled("b", "2.0.0", 2, t1)
                .withForced(t1);
        assertThat(s).isEqualTo(new UpdateStatus("r1", FirmwareStatus.Downloaded, "/tmp/x.vkimg", true, "2.0.0", 2, "b",
                "download", 10, 100, "", t0, t1));
        assertThatThrownBy(() -> s.withProgress("download", -1, 5, t1)).hasMessageContaining("out of range");
    }
}
