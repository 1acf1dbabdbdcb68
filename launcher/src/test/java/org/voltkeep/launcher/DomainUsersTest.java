package org.voltkeep.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.voltkeep.image.BundleDomain;

/**
 * The domains' users. The accounts are ones every Debian system has (daemon, bin,
 * nobody/nogroup); the switching tests run the real setpriv and need root, as the
 * project's machines and CI run.
 */
class DomainUsersTest {
    private static final String SPEC = "safety=daemon,app=nobody:nogroup";

    @Test
    void parsesBothDomainsWithTheirGroups() throws UsageException {
        DomainUsers u = DomainUsers.parse(SPEC);
        assertThat(u.of(BundleDomain.SAFETY)).contains(new DomainUsers.Account("daemon", "daemon"));
        assertThat(u.of(BundleDomain.APP)).contains(new DomainUsers.Account("nobody", "nogroup"));
        assertThat(u.describe()).isEqualTo("safety as daemon, app as nobody:nogroup");
        assertThat(u.commandPrefix(BundleDomain.SAFETY)).containsExactly("/usr/bin/setpriv", "--reuid=daemon",
                "--regid=daemon", "--init-groups", "--inh-caps=-all", "--ambient-caps=-all", "--no-new-privs", "--");
    }

    @Test
    void withoutUsersTheDomainsRunAsTheLauncher() {
        assertThat(DomainUsers.SAME_AS_LAUNCHER.commandPrefix(BundleDomain.SAFETY)).isEmpty();
        assertThat(DomainUsers.SAME_AS_LAUNCHER.commandPrefix(BundleDomain.APP)).isEmpty();
        assertThat(DomainUsers.SAME_AS_LAUNCHER.describe()).isEqualTo("domains run as the launcher's user");
    }

    @Test
    void refusesWhatWouldNotKeepTheDomainsApartAndNamesIt() {
        assertThatThrownBy(() -> DomainUsers.parse("safety=daemon"))
                .hasMessage("run: --domain-users: no user for the app domain (give both: safety=USER,app=USER)");
        assertThatThrownBy(() -> DomainUsers.parse("safety=daemon,app=daemon"))
                .hasMessageContaining("safety and app run as the same user 'daemon'");
        assertThatThrownBy(() -> DomainUsers.parse("safety=daemon,app=bin:daemon"))
                .hasMessageContaining("safety and app share the primary group 'daemon'");
        assertThatThrownBy(() -> DomainUsers.parse("safety=daemon,safety=bin,app=nobody:nogroup"))
                .hasMessageContaining("the safety domain is named twice");
        assertThatThrownBy(() -> DomainUsers.parse("safety=daemon,network=bin"))
                .hasMessageContaining("unknown domain 'network' (safety or app)");
        assertThatThrownBy(() -> DomainUsers.parse("safety=daemon,app"))
                .hasMessageContaining("'app' is not DOMAIN=USER[:GROUP]");
        assertThatThrownBy(() -> DomainUsers.parse("safety=Daemon!,app=bin"))
                .hasMessageContaining("'Daemon!' (safety) is not a user or group name");
    }

    @Test
    void refusesAccountsOrToolsThisSystemDoesNotHave() {
        assertThatThrownBy(() -> DomainUsers.parse("safety=voltkeep-no-such-user,app=bin"))
                .hasMessageContaining("no user 'voltkeep-no-such-user' for the safety domain on this system");
        assertThatThrownBy(() -> DomainUsers.parse("safety=daemon,app=bin:voltkeep-no-such-group"))
                .hasMessageContaining("no group 'voltkeep-no-such-group' for the app domain");
        assertThatThrownBy(() -> DomainUsers.parse(SPEC, java.nio.file.FileSystems.getDefault().getUserPrincipalLookupService(),
                Path.of("/nonexistent/setpriv")))
                .hasMessageContaining("switching users needs /nonexistent/setpriv (Debian package util-linux), which is missing");
    }

    @Test
    void aDomainStartsAsItsUserWithNoCapabilityAndNoWayToGainOne() throws Exception {
        requireRoot();
        List<String> cmd = new ArrayList<>(DomainUsers.parse(SPEC).commandPrefix(BundleDomain.APP));
        cmd.addAll(List.of("sh", "-c", "id -un; id -gn; grep -E '^(CapInh|CapPrm|CapEff|CapAmb|NoNewPrivs):' /proc/self/status"));
        assertThat(run(cmd)).isEqualTo("""
                nobody
                nogroup
                CapInh:\t0000000000000000
                CapPrm:\t0000000000000000
                CapEff:\t0000000000000000
                CapAmb:\t0000000000000000
                NoNewPrivs:\t1
                """);
    }

    /**
     * The launcher as the unit runs it: not root, holding CAP_SETUID, CAP_SETGID and
     * CAP_KILL as ambient capabilities (AmbientCapabilities=). It can start a domain as
     * another user, which then holds nothing, and stop it with a signal; without
     * CAP_KILL it could not stop it.
     */
    @Test
    void aLauncherWithTheUnitsCapabilitiesSwitchesUsersAndStopsTheDomain() throws Exception {
        requireRoot();
        String prefix = String.join(" ", DomainUsers.parse(SPEC).commandPrefix(BundleDomain.SAFETY));
        String launcher = prefix + " sh -c 'grep -E \"^(Uid|CapEff):\" /proc/self/status; exec sleep 60 >/dev/null 2>&1' & pid=$!; "
                + "sleep 1; if kill -TERM $pid; then wait $pid; echo \"domain ended with $?\"; else echo \"kill refused $pid\"; fi";
        String asUnit = run(asBin("+setuid,+setgid,+kill", launcher));
        assertThat(asUnit).isEqualTo("Uid:\t1\t1\t1\t1\nCapEff:\t0000000000000000\ndomain ended with 143\n");
        String withoutKill = run(asBin("+setuid,+setgid", launcher));
        assertThat(withoutKill).containsPattern("kill refused [0-9]+\n$");
        long orphan = Long.parseLong(withoutKill.substring(withoutKill.lastIndexOf(' ') + 1).trim());
        ProcessHandle.of(orphan).ifPresent(ProcessHandle::destroyForcibly);
    }

    private static List<String> asBin(String caps, String script) {
        return List.of("/usr/bin/setpriv", "--reuid=bin", "--regid=bin", "--init-groups", "--inh-caps=" + caps,
                "--ambient-caps=" + caps, "--no-new-privs", "--", "sh", "-c", script);
    }

    private static void requireRoot() throws IOException, InterruptedException {
        assertThat(run(List.of("id", "-u")).trim())
                .as("switching users through setpriv needs root; run this test as root, as CI and the project's machines do")
                .isEqualTo("0");
    }

    /** Runs to the end and returns standard output; the shell's job notices on standard error are not part of it. */
    private static String run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).start();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("did not finish: " + cmd);
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as("exit code of %s, output:%n%s%s", cmd, out, err).isZero();
        return out;
    }
}
