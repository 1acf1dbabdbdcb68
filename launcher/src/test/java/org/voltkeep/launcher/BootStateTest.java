package org.voltkeep.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voltkeep.launcher.BootState.ImageInfo;
import org.voltkeep.launcher.BootState.SlotRecord;
import org.voltkeep.launcher.BootState.Trial;

class BootStateTest {
    static final Instant T = Instant.parse("2026-11-22T10:15:30Z");
    static final ImageInfo V1 = new ImageInfo("1.0.0", 1, "a".repeat(64));
    static final ImageInfo V2 = new ImageInfo("2.0.0", 2, "b".repeat(64));

    @TempDir
    Path dir;

    static BootState sample() {
        return BootState.initial(V1, "installed at device creation", T)
                .with(Slot.B, SlotRecord.of(SlotState.TRIAL, V2, "installed 2.0.0 from x.vkimg; waiting for activation", T))
                .withTrial(Optional.of(new Trial(Slot.B, 2, Slot.A)));
    }

    @Test
    void roundTripsEveryFieldAndLeavesNoTemporaryFile() throws IOException {
        DeviceLayout d = new DeviceLayout(dir);
        BootState st = sample().with(Slot.R, SlotRecord.of(SlotState.BAD, V1, "failed verification at boot: line\nbreak", T));
        st.write(d, FileOps.REAL);
        BootState back = BootState.read(d);
        assertThat(back).isEqualTo(st);
        assertThat(back.slot(Slot.R).why()).as("a reason stays on one line").isEqualTo("failed verification at boot: line break");
        assertThat(back.trial()).contains(new Trial(Slot.B, 2, Slot.A));
        try (var s = Files.list(dir)) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactly("boot-state");
        }
        assertThat(Files.readString(d.bootState())).contains("format=2\n", "primary=a\n", "trial=b\n", "b.state=trial\n",
                "b.security-version=2\n", "r.state=bad\n");
    }

    @Test
    void migratesFormat1TheWayTheOldLauncherWroteIt() throws IOException {
        DeviceLayout d = new DeviceLayout(dir);
        Files.writeString(d.bootState(), "#voltkeep boot state\n#Sun Nov 22 06:36:00 UTC 2026\nformat=1\nprimary=a\n");
        BootState st = BootState.read(d);
        assertThat(st.primary()).isEqualTo(Slot.A);
        assertThat(st.primarySlot()).isEqualTo("a");
        assertThat(st.trial()).isEmpty();
        assertThat(st.slot(Slot.A).state()).isEqualTo(SlotState.GOOD);
        assertThat(st.slot(Slot.A).image()).as("recorded at the next verified boot").isEmpty();
        assertThat(st.slot(Slot.B).state()).isEqualTo(SlotState.EMPTY);
        assertThat(st.slot(Slot.R).state()).isEqualTo(SlotState.EMPTY);
        st.write(d, FileOps.REAL);
        assertThat(BootState.read(d)).isEqualTo(st);
        assertThat(Files.readString(d.bootState())).contains("format=2");
    }

    @Test
    void refusesBadFilesNamingTheProblem() throws IOException {
        String good = sample().text();
        assertRefused("format=3\nprimary=a\n", "format 3 is not supported");
        assertRefused("format=1\nprimary=c\n", "primary slot 'c' is not a or b");
        assertRefused("format=1\nprimary=r\n", "primary slot 'r' is not a or b");
        assertRefused("primary=a\n", "no 'format' line");
        assertRefused("format=x\nprimary=a\n", "format 'x' is not a number");
        assertRefused("format=1\nprimary=a\nsecondary=b\n", "line 3: unknown key 'secondary'");
        assertRefused(good + "primary=b\n", "'primary' appears twice");
        assertRefused(good.replace("a.state=good", "a.state=fine"), "slot state 'fine' is not one of good, bad, trial, empty");
        assertRefused(good.replace("trial.attempts-left=2", "trial.attempts-left=-1"), "trial.attempts-left '-1' is not a whole number");
        assertRefused(good.replace("trial.attempts-left=2", "trial.attempts-left=101"), "is not a whole number in 0..100");
        assertRefused(good.replace("b.state=trial", "b.state=good"), "trial slot b is good, not trial");
        assertRefused(good.replace("trial.previous=a", "trial.previous=b"), "cannot roll back to itself");
        assertRefused(good.replace("a.manifest-sha256=" + "a".repeat(64), "a.manifest-sha256=xyz"), "is not 64 lower-case hex digits");
        assertRefused(good.replace("a.security-version=1\n", ""), "no 'a.security-version' line");
        assertRefused(good.replace("r.state=empty", "r.state=trial"), "slot r");
        assertRefused(good.replace("b.time=" + T, "b.time=yesterday"), "b.time 'yesterday' is not an ISO-8601 instant");
        assertRefused(good.replace("trial=b\n", "trial=none\n"), "trial details without a trial");
        assertRefused(good + "just some words\n", "expected key=value");
        assertRefused(good.replace("r.state=empty\n", "r.state=empty\nr.version=1.0.0\nr.security-version=1\nr.manifest-sha256="
                + "c".repeat(64) + "\n"), "an empty slot has no image");
    }

    private void assertRefused(String text, String message) throws IOException {
        DeviceLayout d = new DeviceLayout(dir);
        Files.writeString(d.bootState(), text);
        assertThatThrownBy(() -> BootState.read(d)).isInstanceOf(IOException.class).hasMessageContaining(message)
                .hasMessageContaining(d.bootState().toString());
    }
}
