package org.voltkeep.config.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.junit.jupiter.api.Test;

class SubstitutorTest {
    private final Map<String, String> props = Map.of(
            "voltkeep.data.dir", "/dev0/data",
            "voltkeep.domain", "app",
            "tricky", "${voltkeep.domain}");
    private final Substitutor s = new Substitutor(props::get);

    @Test
    void replacesEveryReference() throws Exception {
        assertThat(s.substitute("${voltkeep.data.dir}/sessions-${voltkeep.domain}", "w"))
                .isEqualTo(props.get("voltkeep.data.dir") + "/sessions-" + props.get("voltkeep.domain"));
    }

    @Test
    void leavesPlainTextAndLoneDollarsAlone() throws Exception {
        assertThat(s.substitute("price $5 {x}", "w")).isEqualTo("price $5 {x}");
    }

    @Test
    void doesNotScanReplacementsAgain() throws Exception {
        assertThat(s.substitute("${tricky}", "w")).isEqualTo(props.get("tricky"));
    }

    @Test
    void refusesAnUnknownPropertyNamingItAndWhere() {
        assertThatThrownBy(() -> s.substitute("${voltkeep.data.dri}/x", "line 4, key 'dataDir'"))
                .isInstanceOf(CfgException.class)
                .hasMessageContaining("line 4, key 'dataDir'")
                .hasMessageContaining("voltkeep.data.dri");
    }

    @Test
    void refusesAnUnterminatedOrEmptyReference() {
        assertThatThrownBy(() -> s.substitute("a${voltkeep.domain", "w")).hasMessageContaining("no closing");
        assertThatThrownBy(() -> s.substitute("a${}", "w")).hasMessageContaining("not a property reference");
    }
}
