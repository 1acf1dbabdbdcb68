package org.voltkeep.attestation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.Optional;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.voltkeep.rot.api.Provisioning;

class AttestationReportTest {
    KeyPair device;

    @BeforeEach
    void setUp() throws Exception {
        device = Fixtures.ecKey();
    }

    @Test
    void canonicalFormHasTheKeysInSchemaOrder() {
        AttestationReport r = Fixtures.report(device.getPublic()).build();

        String expected = "{\"schemaVersion\":1,\"deviceKeySha256\":\"" + Provisioning.fingerprint(device.getPublic()) + "\","
                + "\"slot\":\"a\",\"imageVersion\":\"1.4.0-dev+42\",\"securityVersion\":3,"
                + "\"manifestSha256\":\"" + Fixtures.sha('1') + "\","
                + "\"bundles\":[{\"symbolicName\":\"org.voltkeep.safety\",\"sha256\":\"" + Fixtures.sha('2') + "\"},"
                + "{\"symbolicName\":\"org.voltkeep.hal.sim\",\"sha256\":\"" + Fixtures.sha('3') + "\"},"
                + "{\"symbolicName\":\"org.apache.felix.scr\",\"sha256\":\"" + Fixtures.sha('4') + "\"}],"
                + "\"bootCounter\":7,"
                + "\"rot\":{\"kind\":\"soft\",\"description\":\"soft key store (development only, not a hardware root of trust)\"},"
                + "\"trustMode\":\"development\",\"nonce\":\"00112233445566778899aabbccddeeff\","
                + "\"created\":\"2026-11-22T08:15:30.250Z\"}";
        assertThat(new String(r.canonicalBytes(), StandardCharsets.UTF_8)).isEqualTo(expected);
    }

    @Test
    void aReportWithoutNonceSaysNull() {
        AttestationReport r = Fixtures.report(device.getPublic()).nonce(Optional.empty()).build();
        assertThat(r.toJson().write()).contains("\"nonce\":null");
    }

    @Test
    void refusesBadValuesNamingThem() {
        assertThatThrownBy(() -> Fixtures.report(device.getPublic()).slot("A/../b").build())
                .hasMessageContaining("slot 'A/../b'");
        assertThatThrownBy(() -> Fixtures.report(device.getPublic()).manifestSha256("ABC").build())
                .hasMessageContaining("manifestSha256");
        assertThatThrownBy(() -> Fixtures.report(device.getPublic()).bundle("org.voltkeep.safety", Fixtures.sha('9')).build())
                .hasMessageContaining("bundle org.voltkeep.safety is listed twice");
        assertThatThrownBy(() -> Fixtures.report(device.getPublic()).securityVersion(-1).build())
                .hasMessageContaining("security version -1");
        assertThatThrownBy(() -> Fixtures.report(device.getPublic()).imageVersion("1.0 beta").build())
                .hasMessageContaining("image version '1.0 beta'");
        assertThatThrownBy(() -> Fixtures.report(device.getPublic()).bundle("bad name", Fixtures.sha('9')))
                .hasMessageContaining("bundle symbolic name 'bad name'");
        assertThatThrownBy(() -> Fixtures.report(device.getPublic()).created(null).build())
                .isInstanceOf(NullPointerException.class).hasMessageContaining("created");
    }

    @Test
    void bundlesCannotBeChangedAfterBuilding() {
        AttestationReport r = Fixtures.report(device.getPublic()).build();
        assertThatThrownBy(() -> r.bundles().clear()).isInstanceOf(UnsupportedOperationException.class);
    }
}
