package org.voltkeep.config.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class CfgTargetTest {

    @Test
    void aPlainFileNamesItsPid() throws Exception {
        CfgTarget t = CfgTarget.fromFileName("org.voltkeep.sessions.cfg");
        assertThat(t.factory()).isFalse();
        assertThat(t.pid()).isEqualTo("org.voltkeep.sessions");
    }

    @Test
    void aTildeMakesANamedFactoryConfiguration() throws Exception {
        CfgTarget t = CfgTarget.fromFileName("org.voltkeep.limit~grid-1.cfg");
        assertThat(t.factory()).isTrue();
        assertThat(t.factoryPid()).isEqualTo("org.voltkeep.limit");
        assertThat(t.name()).isEqualTo("grid-1");
        assertThat(t.pid()).isEqualTo("org.voltkeep.limit~grid-1");
    }

    @ParameterizedTest
    @ValueSource(strings = {".cfg", "a..b.cfg", "a b.cfg", ".hidden.cfg", "~x.cfg", "a~.cfg", "a~b~c.cfg", "a.b.", "ä.cfg"})
    void refusesBadNames(String name) {
        assertThatThrownBy(() -> CfgTarget.fromFileName(name)).isInstanceOf(CfgException.class);
    }

    @Test
    void onlyVisibleCfgFilesAreCandidates() {
        assertThat(CfgTarget.isCandidate("a.cfg")).isTrue();
        assertThat(CfgTarget.isCandidate("a.cfg.bak")).isFalse();
        assertThat(CfgTarget.isCandidate(".a.cfg")).isFalse();
        assertThat(CfgTarget.isCandidate("README.md")).isFalse();
    }
}
