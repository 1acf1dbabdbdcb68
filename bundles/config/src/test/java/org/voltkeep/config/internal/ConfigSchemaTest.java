package org.voltkeep.config.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.voltkeep.config.LoadReport;
import org.voltkeep.config.LoadReport.Outcome;
import org.voltkeep.data.DataStore;
import org.voltkeep.data.Migration;
import org.voltkeep.data.SchemaVersion;
import org.voltkeep.data.StoreListener;
import org.voltkeep.data.StoreSchema;

/**
 * A domain's configuration directory across updates and rollbacks: what a newer
 * image added is applied by today's loader, a directory a newer image migrated is
 * swapped back for the copy kept before, and a directory this image cannot read
 * applies nothing and deletes nothing.
 */
class ConfigSchemaTest {
    @TempDir
    Path data;
    Path dir;
    private FakeConfigAdmin admin;

    @BeforeEach
    void setUp() throws Exception {
        admin = new FakeConfigAdmin();
        dir = Files.createDirectories(data.resolve("config/app"));
    }

    private ConfigLoaderComponent loader() {
        return new ConfigLoaderComponent(admin, dir.toString(), new Substitutor(Map.of("voltkeep.data.dir", "/d")::get));
    }

    private void write(String name, String text) throws Exception {
        Files.writeString(dir.resolve(name), text, StandardCharsets.UTF_8);
    }

    /** A next major as a newer image could make it: {@code recentLimit} renamed to {@code recent.limit}. */
    static final StoreSchema NEXT_MAJOR = StoreSchema.of("config", SchemaVersion.of(2, 0), Migration.of(1, 2, (source, target) -> {
        try (Stream<Path> files = Files.list(source)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".cfg")).toList()) {
                List<String> out = new ArrayList<>();
                for (String line : Files.readAllLines(f)) {
                    out.add(line.replace("recentLimit", "recent.limit"));
                }
                Files.write(target.resolve(f.getFileName().toString()), out);
            }
        }
    }));

    @Test
    void aNewerMinorsFilesAndKeysAreAppliedAndItsSchemaFileIsNoConfiguration() throws Exception {
        write("schema.json", "{\"store\":\"config\",\"major\":1,\"minor\":3}");
        write("org.voltkeep.sessions.cfg", "dataDir=${voltkeep.data.dir}\nrecentLimit=7\nrotateAfterDays=30\n");
        write("org.voltkeep.telemetry.cfg", "intervalSeconds=60\n");

        LoadReport r = loader().lastReport();

        assertThat(r.clean()).as(r.summary()).isTrue();
        assertThat(r.files()).extracting(LoadReport.FileResult::file)
                .containsExactly("org.voltkeep.sessions.cfg", "org.voltkeep.telemetry.cfg");
        assertThat(admin.values("org.voltkeep.sessions")).containsEntry("recentLimit", "7").containsEntry("rotateAfterDays", "30");
        assertThat(DataStore.recordedVersion(dir, "config")).as("never lowered").contains(SchemaVersion.of(1, 3));
    }

    @Test
    void aDirectoryFromBeforeVersionsWereRecordedIsAppliedAndGetsItsVersion() throws Exception {
        write("org.voltkeep.sessions.cfg", "recentLimit=7\n");

        assertThat(loader().lastReport().with(Outcome.CREATED)).hasSize(1);
        assertThat(DataStore.recordedVersion(dir, "config")).contains(SchemaVersion.of(1, 0));
    }

    @Test
    void afterANewerMajorMigratedTheDirectoryTodaysLoaderAppliesTheKeptCopy() throws Exception {
        write("org.voltkeep.sessions.cfg", "recentLimit=7\n");
        write("org.voltkeep.control.cfg", "socketPath=/run/app.sock\n");
        byte[] deviceEdit = Files.readAllBytes(dir.resolve("org.voltkeep.sessions.cfg"));
        DataStore.open(dir, NEXT_MAJOR, StoreListener.NONE);
        assertThat(Files.readString(dir.resolve("org.voltkeep.sessions.cfg"))).contains("recent.limit=7");

        LoadReport r = loader().lastReport();

        assertThat(r.clean()).as(r.summary()).isTrue();
        assertThat(admin.values("org.voltkeep.sessions")).containsEntry("recentLimit", "7").doesNotContainKey("recent.limit");
        assertThat(admin.values("org.voltkeep.control")).containsEntry("socketPath", "/run/app.sock");
        assertThat(Files.readAllBytes(dir.resolve("org.voltkeep.sessions.cfg"))).isEqualTo(deviceEdit);
        assertThat(data.resolve("config/app.set-aside-v2/org.voltkeep.sessions.cfg")).content().contains("recent.limit=7");
    }

    @Test
    void aNewerMajorWithNoCopyToReturnToAppliesNothingDeletesNothingAndSaysWhy() throws Exception {
        write("org.voltkeep.sessions.cfg", "recentLimit=7\n");
        ConfigLoaderComponent loader = loader();
        assertThat(admin.values("org.voltkeep.sessions")).containsEntry("recentLimit", "7");
        write("schema.json", "{\"store\":\"config\",\"major\":2,\"minor\":0}");
        Files.delete(dir.resolve("org.voltkeep.sessions.cfg"));
        write("org.voltkeep.sessions~a.cfg", "recent.limit=9\n");

        LoadReport r = loader.reload();

        assertThat(r.clean()).isFalse();
        assertThat(r.problem()).contains(dir.resolve("schema.json").toString()).contains("version 2.0").contains("reads major 1");
        assertThat(r.files()).isEmpty();
        assertThat(admin.configs).containsOnlyKeys("org.voltkeep.sessions");
        assertThat(admin.values("org.voltkeep.sessions")).containsEntry("recentLimit", "7");
        assertThat(admin.deletes).isZero();
    }

    @Test
    void aMigrationCutShortIsFinishedBeforeAnythingIsApplied() throws Exception {
        write("org.voltkeep.sessions.cfg", "recentLimit=7\n");
        loader();
        DataStore.open(dir, StoreSchema.of("config", SchemaVersion.of(1, 0)), StoreListener.NONE);
        // a newer image was cut off right after keeping the directory: only the kept copy is there
        Files.move(dir, DataStore.keptCopy(dir, 1));

        LoadReport r = loader().lastReport();

        assertThat(r.clean()).as(r.summary()).isTrue();
        assertThat(Files.readString(dir.resolve("org.voltkeep.sessions.cfg"))).isEqualTo("recentLimit=7\n");
        assertThat(admin.deletes).isZero();
    }

    @Test
    void aDirectoryTheLauncherMadeWhileAMigrationWasUnfinishedDoesNotHideTheDevicesConfiguration() throws Exception {
        write("org.voltkeep.sessions.cfg", "recentLimit=7\n");
        write("org.voltkeep.sim.control.cfg", "hardwareRatingAmps=16\n");
        loader();
        Files.move(dir, DataStore.keptCopy(dir, 1));
        // cut short; then the launcher makes the directory again and copies a board default into it
        Files.createDirectories(dir);
        write("org.voltkeep.sim.control.cfg", "hardwareRatingAmps=32\n");

        LoadReport r = loader().lastReport();

        assertThat(r.clean()).as(r.summary()).isTrue();
        assertThat(admin.values("org.voltkeep.sessions")).containsEntry("recentLimit", "7");
        assertThat(admin.values("org.voltkeep.sim.control")).containsEntry("hardwareRatingAmps", "16");
        assertThat(admin.deletes).isZero();
    }
}
