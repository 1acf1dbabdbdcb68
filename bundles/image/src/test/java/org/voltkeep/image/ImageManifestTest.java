package org.voltkeep.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.voltkeep.rot.api.Zone;

class ImageManifestTest {
    static final String HASH = "ab".repeat(32);

    static ImageManifest sample() {
        return new ImageManifest("voltkeep-sim", "1.4.0-rc.1", 7, Instant.parse("2026-11-22T10:15:30Z"),
                List.of(new ManifestBundle("bundles/safety/org.voltkeep.safety.jar", "org.voltkeep.safety", "0.1.0.SNAPSHOT",
                        BundleDomain.SAFETY, Zone.SAFETY, HASH, 1234),
                        new ManifestBundle("bundles/app/org.voltkeep.mqtt.jar", "org.voltkeep.mqtt", "1.0.0", BundleDomain.APP,
                                Zone.NETWORK, HASH, 99)),
                List.of(new ManifestFile("config/safety/org.voltkeep.safety.cfg", HASH, 12)),
                new ManifestFile("sbom.cdx.json", HASH, 500));
    }

    @Test
    void writesTheDocumentedJsonAndReadsItBack() {
        String json = new String(sample().toJsonBytes(), StandardCharsets.UTF_8);

        assertThat(json).startsWith("{\n  \"schemaVersion\": 1,\n  \"compatible\": \"voltkeep-sim\",")
                .contains("\"securityVersion\": 7", "\"created\": \"2026-11-22T10:15:30Z\"", "\"zone\": \"network\"",
                        "\"path\": \"bundles/safety/org.voltkeep.safety.jar\"", "\"size\": 1234");
        assertThat(ImageManifest.parse(sample().toJsonBytes())).isEqualTo(sample());
    }

    @Test
    void unknownKeysAreRefusedWithTheirPath() {
        String json = new String(sample().toJsonBytes(), StandardCharsets.UTF_8).replaceFirst("\"zone\"", "\"zoen\": 1, \"zone\"");
        assertThatThrownBy(() -> ImageManifest.parse(json.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("$.bundles[0].zoen")
                .hasMessageContaining("unknown key");
    }

    @Test
    void bundlePathMustFollowDomainAndName() {
        assertThatThrownBy(() -> new ManifestBundle("bundles/app/org.voltkeep.safety.jar", "org.voltkeep.safety", "1.0.0",
                BundleDomain.SAFETY, Zone.SAFETY, HASH, 1))
                .hasMessageContaining("should be 'bundles/safety/org.voltkeep.safety.jar'");
    }

    @Test
    void domainFitsZoneOnlyForSafetyWithSafety() {
        assertThat(new ManifestBundle("bundles/safety/a.jar", "a", "1", BundleDomain.SAFETY, Zone.SAFETY, HASH, 1).domainMatchesZone()).isTrue();
        assertThat(new ManifestBundle("bundles/app/a.jar", "a", "1", BundleDomain.APP, Zone.CORE, HASH, 1).domainMatchesZone()).isTrue();
        assertThat(new ManifestBundle("bundles/safety/a.jar", "a", "1", BundleDomain.SAFETY, Zone.NETWORK, HASH, 1).domainMatchesZone()).isFalse();
        assertThat(new ManifestBundle("bundles/app/a.jar", "a", "1", BundleDomain.APP, Zone.SAFETY, HASH, 1).domainMatchesZone()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"1", "1.2", "01.2.3", "1.2.3-", "1.2.3+", "v1.2.3", "1.2.3-01"})
    void versionMustBeSemantic(String version) {
        ImageManifest m = sample();
        assertThatThrownBy(() -> new ImageManifest(m.compatible(), version, 0, m.created(), m.bundles(), m.config(), m.sbom()))
                .hasMessageContaining("not a semantic version");
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.0.0", "0.1.0-SNAPSHOT", "2.0.0-rc.1+build.7", "10.20.30"})
    void semanticVersionsAreAccepted(String version) {
        ImageManifest m = sample();
        assertThat(new ImageManifest(m.compatible(), version, 0, m.created(), m.bundles(), m.config(), m.sbom()).version()).isEqualTo(version);
    }

    @Test
    void aPathListedTwiceIsRefused() {
        ImageManifest m = sample();
        assertThatThrownBy(() -> new ImageManifest(m.compatible(), m.version(), 0, m.created(), List.of(m.bundles().get(0), m.bundles().get(0)),
                m.config(), m.sbom())).hasMessageContaining("listed twice");
    }

    @Test
    void configFilesMustBeNamedByPid() {
        ImageManifest m = sample();
        assertThatThrownBy(() -> new ImageManifest(m.compatible(), m.version(), 0, m.created(), m.bundles(),
                List.of(new ManifestFile("config/safety/../x.cfg", HASH, 1)), m.sbom())).hasMessageContaining("config/<safety|app>/<pid>.cfg");
    }

    @Test
    void entryNamesAllowedInAnImage() {
        assertThat(ImageFormat.isAllowedEntryName("bundles/app/org.apache.felix.scr.jar")).isTrue();
        assertThat(ImageFormat.isAllowedEntryName("config/safety/org.voltkeep.safety.cfg")).isTrue();
        assertThat(ImageFormat.isAllowedEntryName("bundles/app/sub/x.jar")).isFalse();
        assertThat(ImageFormat.isAllowedEntryName("bundles/app/.x.jar")).isFalse();
        assertThat(ImageFormat.isAllowedEntryName("README.md")).isFalse();
    }
}
