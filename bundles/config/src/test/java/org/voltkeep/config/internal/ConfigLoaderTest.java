package org.voltkeep.config.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voltkeep.config.LoadReport;
import org.voltkeep.config.LoadReport.Outcome;

/** The loader against an in-memory Configuration Admin and a real directory. */
class ConfigLoaderTest {
    @TempDir
    Path data;
    /** A domain's configuration directory, where a device keeps it. */
    Path dir;
    private FakeConfigAdmin admin;
    private final Map<String, String> frameworkProperties = Map.of(
            "voltkeep.data.dir", "/device/data",
            "voltkeep.run.dir", "/device/run");

    @BeforeEach
    void setUp() throws Exception {
        admin = new FakeConfigAdmin();
        dir = Files.createDirectories(data.resolve("config/app"));
    }

    private ConfigLoaderComponent loader() {
        return new ConfigLoaderComponent(admin, dir.toString(), new Substitutor(frameworkProperties::get));
    }

    private void write(String name, String text) throws Exception {
        Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
    }

    private static Outcome outcomeOf(LoadReport r, String file) {
        return r.files().stream().filter(f -> f.file().equals(file)).findFirst().orElseThrow().outcome();
    }

    @Test
    void appliesFilesWithSubstitutionAtStartMultiLocation() throws Exception {
        write("org.voltkeep.sessions.cfg", "dataDir = ${voltkeep.data.dir}\nrecentLimit = 50\n");
        write("org.voltkeep.limit~grid.cfg", "amps=16\n");
        write("notes.txt", "ignored");

        LoadReport r = loader().lastReport();

        assertThat(r.clean()).isTrue();
        assertThat(r.with(Outcome.CREATED)).hasSize(2);
        assertThat(admin.values("org.voltkeep.sessions"))
                .containsEntry("dataDir", frameworkProperties.get("voltkeep.data.dir"))
                .containsEntry("recentLimit", "50");
        assertThat(admin.values("org.voltkeep.limit~grid"))
                .containsEntry("amps", "16")
                .containsEntry("service.factoryPid", "org.voltkeep.limit");
        assertThat(admin.locationsAsked).containsOnly(ConfigSync.ANY_LOCATION);
    }

    @Test
    void aReloadWithoutChangesUpdatesNothing() throws Exception {
        write("a.cfg", "x=1\n");
        write("b.cfg", "y=2\n");
        ConfigLoaderComponent loader = loader();
        int updatesAfterStart = admin.updates;

        LoadReport again = loader.reload();

        assertThat(admin.updates).isEqualTo(updatesAfterStart);
        assertThat(again.with(Outcome.UNCHANGED)).hasSize(2);
    }

    @Test
    void aChangedFileUpdatesOnlyItsConfiguration() throws Exception {
        write("a.cfg", "x=1\n");
        write("b.cfg", "y=2\n");
        ConfigLoaderComponent loader = loader();
        int updatesAfterStart = admin.updates;

        write("b.cfg", "y=3\n");
        LoadReport r = loader.reload();

        assertThat(admin.updates).isEqualTo(updatesAfterStart + 1);
        assertThat(outcomeOf(r, "a.cfg")).isEqualTo(Outcome.UNCHANGED);
        assertThat(outcomeOf(r, "b.cfg")).isEqualTo(Outcome.UPDATED);
        assertThat(admin.values("b")).containsEntry("y", "3");
    }

    @Test
    void aBadFileKeepsThePreviousConfigurationAndOthersStillApply() throws Exception {
        write("a.cfg", "x=1\n");
        write("b.cfg", "y=2\n");
        ConfigLoaderComponent loader = loader();

        write("a.cfg", "x=2\nlog=${no.such.property}\n");
        write("b.cfg", "y=5\n");
        LoadReport r = loader.reload();

        assertThat(r.clean()).isFalse();
        LoadReport.FileResult refused = r.with(Outcome.REFUSED).get(0);
        assertThat(refused.file()).isEqualTo("a.cfg");
        assertThat(refused.pid()).isEqualTo("a");
        assertThat(refused.detail()).contains("line 2", "key 'log'", "no.such.property");
        assertThat(admin.values("a")).containsEntry("x", "1").doesNotContainKey("log");
        assertThat(admin.values("b")).containsEntry("y", "5");
    }

    @Test
    void unreadableContentIsRefusedWithItsLine() throws Exception {
        Files.write(dir.resolve("enc.cfg"), new byte[] {'a', '=', '1', '\n', 'b', '=', (byte) 0xE9, '\n'});
        write("reserved.cfg", "service.pid=other\n");
        write("bad name.cfg", "a=1\n");

        LoadReport r = loader().lastReport();

        assertThat(r.with(Outcome.REFUSED)).extracting(LoadReport.FileResult::file)
                .containsExactly("bad name.cfg", "enc.cfg", "reserved.cfg");
        assertThat(r.with(Outcome.REFUSED).get(1).detail()).contains("line 2", "UTF-8");
        assertThat(r.with(Outcome.REFUSED).get(2).detail()).contains("key 'service.pid'");
        assertThat(admin.configs).isEmpty();
    }

    @Test
    void aConfigurationWhoseFileIsGoneIsDeletedButForeignOnesStay() throws Exception {
        write("a.cfg", "x=1\n");
        write("b.cfg", "y=2\n");
        admin.putForeign("made.by.hand", Map.of("z", "9"));
        ConfigLoaderComponent loader = loader();

        Files.delete(dir.resolve("b.cfg"));
        LoadReport r = loader.reload();

        assertThat(r.with(Outcome.DELETED)).extracting(LoadReport.FileResult::pid).containsExactly("b");
        assertThat(admin.configs).containsOnlyKeys("a", "made.by.hand");
    }

    @Test
    void aRefusedFileIsNotMistakenForAGoneOne() throws Exception {
        write("a.cfg", "x=1\n");
        ConfigLoaderComponent loader = loader();

        write("a.cfg", "x=1\nx=2\n");
        LoadReport r = loader.reload();

        assertThat(r.with(Outcome.DELETED)).isEmpty();
        assertThat(admin.values("a")).containsEntry("x", "1");
    }

    @Test
    void aMissingDirectoryChangesNothing() throws Exception {
        write("a.cfg", "x=1\n");
        loader();
        Path gone = dir.resolve("missing");

        LoadReport r = new ConfigLoaderComponent(admin, gone.toString(), new Substitutor(frameworkProperties::get)).lastReport();

        assertThat(r.problem()).contains("not a directory");
        assertThat(r.clean()).isFalse();
        assertThat(admin.configs).containsOnlyKeys("a");
        assertThat(admin.deletes).isZero();
    }

    @Test
    void anUnsetDirectoryPropertyIsReported() {
        LoadReport r = new ConfigLoaderComponent(admin, null, new Substitutor(frameworkProperties::get)).lastReport();
        assertThat(r.problem()).contains("voltkeep.config.dir");
        assertThat(r.summary()).contains("not applied");
    }

    @Test
    void aConfigurationSetByAnotherToolIsTakenOverWhenItsFileAppears() throws Exception {
        admin.putForeign("a", Map.of("x", "old"));
        write("a.cfg", "x=new\n");

        LoadReport r = loader().lastReport();

        assertThat(outcomeOf(r, "a.cfg")).isEqualTo(Outcome.UPDATED);
        assertThat(admin.values("a")).containsEntry("x", "new").containsEntry(ConfigSync.SOURCE_KEY, "a.cfg");
    }
}
