package org.voltkeep.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.voltkeep.image.BundleDomain;

/** The supervisor names the verified slot and pins its manifest; a domain is never started without both. */
class DomainOptionsTest {
    static final String PIN = "3dc5330606a7b98fbc71ec1fc462eb1d57bc614ce7880137f423996f30d03637";

    @Test
    void whatTheSupervisorPassesIsWhatTheDomainReads() throws Exception {
        DomainOptions o = new DomainOptions(BundleDomain.APP, Path.of("/dev/x").toAbsolutePath(), "b", PIN, "sim", 60.0, true);
        DomainOptions back = DomainOptions.parse(o.toArgs());
        assertThat(back).isEqualTo(o);
        assertThat(o.toArgs()).containsSubsequence("--slot", "b").containsSubsequence("--manifest-sha256", PIN);
    }

    @Test
    void slotAndPinAreRequiredAndChecked() throws Exception {
        List<String> base = List.of("--domain", "safety", "--device", "/d");
        assertThatThrownBy(() -> DomainOptions.parse(concat(base, "--manifest-sha256", PIN)))
                .isInstanceOf(UsageException.class).hasMessageContaining("--slot a|b|r is required");
        assertThatThrownBy(() -> DomainOptions.parse(concat(base, "--slot", "a")))
                .isInstanceOf(UsageException.class).hasMessageContaining("--manifest-sha256 HEX is required");
        assertThat(DomainOptions.parse(concat(base, "--slot", "r", "--manifest-sha256", PIN)).slot())
                .as("the recovery slot boots domains too").isEqualTo("r");
        assertThatThrownBy(() -> DomainOptions.parse(concat(base, "--slot", "c", "--manifest-sha256", PIN)))
                .isInstanceOf(UsageException.class).hasMessageContaining("slot 'c' is not one of a, b, r");
        assertThatThrownBy(() -> DomainOptions.parse(concat(base, "--slot", "a", "--manifest-sha256", PIN.toUpperCase())))
                .isInstanceOf(UsageException.class).hasMessageContaining("64 lower-case hex");
        assertThatThrownBy(() -> DomainOptions.parse(concat(base, "--slot", "a", "--manifest-sha256", PIN.substring(1))))
                .isInstanceOf(UsageException.class).hasMessageContaining("64 lower-case hex");
    }

    private static List<String> concat(List<String> a, String... more) {
        List<String> all = new java.util.ArrayList<>(a);
        all.addAll(List.of(more));
        return all;
    }
}
