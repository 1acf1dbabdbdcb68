package org.voltkeep.integration.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * runtime-config/install.sh for real, into a staged root file system (--root), never
 * the machine's own: users in the stage's /etc, the device directory with its owners
 * and modes, the unit checked by systemd-analyze, and then the three users trying the
 * device directory and a device node made as the udev rule makes it. The users exist
 * only in the stage: each check runs in a private mount namespace that shows the
 * stage's /etc/passwd and /etc/group. Needs root, util-linux and systemd (the
 * project's machines and CI have them; .ci/run installs systemd when missing).
 */
class FieldInstallTest {
    private static final Path SCRIPT = Voltkeep.root().resolve("runtime-config/install.sh");
    private static final String DEVICE = "/var/lib/voltkeep";

    @TempDir
    static Path stage;
    private static Path root;
    private static Result firstInstall;

    record Result(int exitCode, String out, String err) {
        String all() {
            return out + err;
        }
    }

    @BeforeAll
    static void installIntoAStagedRoot() throws Exception {
        assertThat(sh("id -u").out().trim())
                .as("install.sh sets owners and the checks switch users: run this test as root (as CI and the project's machines do)")
                .isEqualTo("0");
        root = stage.resolve("rootfs");
        Files.createDirectories(root.resolve("etc"));
        for (Path p : List.of(stage, root)) {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        for (String f : List.of("passwd", "group", "shadow", "gshadow")) {
            Files.copy(Path.of("/etc", f), root.resolve("etc").resolve(f));
        }
        firstInstall = sh(SCRIPT + " --root " + root);
        assertThat(firstInstall.exitCode()).as(firstInstall.all()).isZero();
    }

    @Test
    void helpIsTrueAndBadInputIsRefusedWithNothingWritten() throws Exception {
        Result help = sh(SCRIPT + " --help");
        assertThat(help.exitCode()).isZero();
        for (String option : List.of("--root DIR", "--prefix DIR", "--device-dir DIR", "--from DIR", "--enable", "--dry-run", "--help")) {
            assertThat(help.out()).contains(option);
        }
        Path empty = Files.createDirectory(stage.resolve("untouched"));
        Map<String, String> refusals = Map.of(
                "--bogus", "unknown argument '--bogus'",
                "--device-dir var/lib/voltkeep", "--device-dir must be an absolute path",
                "--device-dir /tmp/voltkeep", "'/tmp/voltkeep' is under /tmp, which voltkeep.service hides from the service",
                "--prefix /home/x", "'/home/x' is under /home",
                "--device-dir /opt/voltkeep/data", "is inside --prefix",
                "--prefix '/opt/volt keep'", "has characters other than",
                "--from /nonexistent", "no built runtime in /nonexistent",
                "--prefix", "--prefix needs a value");
        for (Map.Entry<String, String> r : refusals.entrySet()) {
            Result res = sh(SCRIPT + " --root " + empty + " " + r.getKey());
            assertThat(res.exitCode()).as(r.getKey()).isEqualTo(2);
            assertThat(res.err()).as(r.getKey()).startsWith("install.sh: ").contains(r.getValue());
        }
        try (Stream<Path> s = Files.list(empty)) {
            assertThat(s).isEmpty();
        }
    }

    @Test
    void withoutRootItRefusesAndItsDryRunNeedsNoneAndShowsThePlan() throws Exception {
        Path empty = Files.createDirectory(stage.resolve("dry"));
        Files.setPosixFilePermissions(empty, PosixFilePermissions.fromString("rwxr-xr-x"));
        String asNobody = "/usr/bin/setpriv --reuid=nobody --regid=nogroup --clear-groups -- ";
        Result refused = sh(asNobody + SCRIPT + " --root " + empty);
        assertThat(refused.exitCode()).isEqualTo(2);
        assertThat(refused.err()).contains("install.sh: must run as root to create users and set owners (or use --dry-run to see the plan)");
        Result dry = sh(asNobody + SCRIPT + " --root " + empty + " --dry-run --enable");
        assertThat(dry.exitCode()).as(dry.all()).isZero();
        try (Stream<Path> s = Files.list(empty)) {
            assertThat(s).as("a dry run changes nothing").isEmpty();
        }
        assertThat(dry.out()).contains(
                "+ install -D -o 0 -g 0 -m 0644 " + Voltkeep.root().resolve("launcher/target/voltkeep-launcher.jar") + " " + empty
                        + "/opt/voltkeep/launcher/target/voltkeep-launcher.jar",
                "+ write " + empty + "/etc/sysusers.d/voltkeep.conf (mode 0644):",
                "    | m voltkeep-safety voltkeep-hw",
                "+ systemd-sysusers --root=" + empty + " " + empty + "/etc/sysusers.d/voltkeep.conf",
                "    | d /var/lib/voltkeep/rot                      0700 voltkeep        voltkeep        -",
                "    | d /var/lib/voltkeep/run                      3770 voltkeep        voltkeep        -",
                "+ systemd-tmpfiles --create --root=" + empty + " " + empty + "/etc/tmpfiles.d/voltkeep.conf",
                "+ write " + empty + "/etc/systemd/system/voltkeep.service (mode 0644):",
                "    | ExecStart=/opt/voltkeep/bin/voltkeep run --device /var/lib/voltkeep --board ${VOLTKEEP_BOARD} "
                        + "--domain-users safety=voltkeep-safety,app=voltkeep-app",
                "+ write " + empty + "/etc/udev/rules.d/60-voltkeep.rules (mode 0644):",
                "+ systemctl --root=" + empty + " enable voltkeep.service",
                "dry run: nothing was changed");
        Result elsewhere = sh(SCRIPT + " --root " + empty + " --dry-run --prefix /usr/local/voltkeep --device-dir /srv/charger");
        assertThat(elsewhere.out()).contains("    | d /srv/charger/data/config/safety       2770 voltkeep-safety voltkeep-safety -",
                "    | ExecStart=/usr/local/voltkeep/bin/voltkeep run --device /srv/charger ",
                "    | ReadWritePaths=/srv/charger", "    | exec java -Dvoltkeep.home=/usr/local/voltkeep ");
        assertThat(elsewhere.out()).doesNotContain("/var/lib/voltkeep", "/opt/voltkeep");
    }

    @Test
    void theStagedDeviceDirectoryHasItsOwnersAndModes() throws Exception {
        assertThat(firstInstall.all()).contains("Creating user 'voltkeep-safety'", "\ninstalled\n");
        Map<String, String> tree = tree();
        assertThat(tree).containsAllEntriesOf(Map.of(
                DEVICE, "voltkeep:voltkeep drwxr-x---",
                DEVICE + "/rot", "voltkeep:voltkeep drwx------",
                DEVICE + "/run", "voltkeep:voltkeep drwxrws--T",
                DEVICE + "/data", "voltkeep:voltkeep drwxrwx--T",
                DEVICE + "/data/safety", "voltkeep-safety:voltkeep-safety drwx------",
                DEVICE + "/data/sessions", "voltkeep-app:voltkeep-app drwx------",
                DEVICE + "/data/config/safety", "voltkeep-safety:voltkeep-safety drwxrws---",
                DEVICE + "/data/config/app", "voltkeep-app:voltkeep-app drwxrws---",
                DEVICE + "/data/.safety.lock", "voltkeep-safety:voltkeep-safety -rw-------",
                DEVICE + "/slots/a", "voltkeep:voltkeep drwxr-x---"));
        assertThat(tree).containsAllEntriesOf(Map.of(
                "/opt/voltkeep/bin/voltkeep", "root:root -rwxr-xr-x",
                "/opt/voltkeep/launcher/target/voltkeep-launcher.jar", "root:root -rw-r--r--",
                "/etc/systemd/system/voltkeep.service", "root:root -rw-r--r--",
                "/etc/udev/rules.d/60-voltkeep.rules", "root:root -rw-r--r--",
                "/etc/tmpfiles.d/voltkeep.conf", "root:root -rw-r--r--",
                "/etc/sysusers.d/voltkeep.conf", "root:root -rw-r--r--"));
        tree.forEach((path, mode) -> {
            if (path.startsWith("/opt/voltkeep")) {
                assertThat(mode).as(path + ": root's, writable by no one else").startsWith("root:root ");
                assertThat(mode.charAt(mode.length() - 5)).as(path).isNotEqualTo('w');
                assertThat(mode.charAt(mode.length() - 2)).as(path).isNotEqualTo('w');
            }
        });
        assertThat(groupMembers("voltkeep-hw")).containsExactly("voltkeep-safety");
        assertThat(groupMembers("voltkeep")).containsExactlyInAnyOrder("voltkeep-safety", "voltkeep-app");
        assertThat(Files.readString(root.resolve("etc/tmpfiles.d/voltkeep.conf")))
                .isEqualTo(Files.readString(Voltkeep.root().resolve("runtime-config/systemd/voltkeep.tmpfiles")));
    }

    @Test
    void runningItAgainChangesNothing() throws Exception {
        Map<String, String> before = tree();
        Result again = sh(SCRIPT + " --root " + root);
        assertThat(again.exitCode()).as(again.all()).isZero();
        assertThat(again.out()).contains("installed (nothing changed: everything was in place)")
                .doesNotContain("+ write", "+ install", "+ cp", "+ rm");
        assertThat(again.all()).doesNotContain("Creating");
        assertThat(tree()).isEqualTo(before);
    }

    /** systemd's own check of the installed unit, with the installed runtime where the unit expects it. */
    @Test
    void systemdFindsNothingWrongWithTheInstalledUnit() throws Exception {
        assertThat(sh("command -v systemd-analyze").exitCode())
                .as("systemd-analyze is missing: install the Debian package systemd (.ci/run does) to verify the unit").isZero();
        Result verify = sh("unshare --mount --propagation private -- sh -c 'mount -t tmpfs tmpfs /opt && mkdir /opt/voltkeep"
                + " && mount --bind " + root + "/opt/voltkeep /opt/voltkeep && systemd-analyze verify "
                + root + "/etc/systemd/system/voltkeep.service'");
        assertThat(verify.exitCode()).as(verify.all()).isZero();
        assertThat(verify.all()).as("systemd-analyze verify says nothing about a sound unit").isEmpty();
        Result security = sh("systemd-analyze security --offline=yes --root=" + root + " voltkeep.service");
        String last = security.out().strip().lines().reduce((a, b) -> b).orElse("");
        System.out.println("systemd-analyze security: " + last);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("exposure level for voltkeep.service: ([0-9.]+)").matcher(last);
        assertThat(m.find()).as(security.all()).isTrue();
        assertThat(Double.parseDouble(m.group(1))).as("systemd's exposure score (0 = locked down, 10 = none)").isLessThanOrEqualTo(3.0);
    }

    /** Each user tries what it must be able to do, and what it must not. */
    @Test
    void eachUserMayUseItsOwnPartsOfTheDeviceDirectoryAndNoOthers() throws Exception {
        String d = root + DEVICE;
        Map<String, List<String>> writable = Map.of(
                "voltkeep", List.of("", "/rot", "/slots", "/slots/a", "/run", "/data", "/data/logs", "/data/security",
                        "/data/config", "/data/config/safety", "/data/config/app"),
                "voltkeep-safety", List.of("/run", "/data", "/data/safety", "/data/config", "/data/config/safety"),
                "voltkeep-app", List.of("/run", "/data", "/data/sessions", "/data/config", "/data/config/app"));
        List<String> all = List.of("", "/rot", "/slots", "/slots/a", "/run", "/data", "/data/logs", "/data/security",
                "/data/safety", "/data/sessions", "/data/config", "/data/config/safety", "/data/config/app");
        for (Map.Entry<String, List<String>> e : writable.entrySet()) {
            StringBuilder script = new StringBuilder();
            for (String p : all) {
                script.append("if touch ").append(d).append(p).append("/probe 2>/dev/null; then rm ").append(d).append(p)
                        .append("/probe; echo 'w ").append(p).append("'; fi; ");
            }
            Result r = asUser(e.getKey(), script.toString());
            List<String> got = r.out().lines().map(l -> l.substring(2)).toList();
            assertThat(got).as(e.getKey() + " may create files in exactly these").containsExactlyInAnyOrderElementsOf(e.getValue());
        }
        Result readSlots = asUser("voltkeep-app", "ls " + d + "/slots && ls " + d + "/rot");
        assertThat(readSlots.out()).contains("a", "b");
        assertThat(readSlots.err()).contains("Permission denied");

        // run/ is sticky: what one domain makes there no other can remove; the launcher owns the directory and can
        Result made = asUser("voltkeep-safety", "touch " + d + "/run/safety.ready && stat -c '%U:%G %a' " + d + "/run/safety.ready");
        assertThat(made.out().trim()).as("setgid run/: the launcher's group, readable by it").isEqualTo("voltkeep-safety:voltkeep 640");
        assertThat(asUser("voltkeep-app", "rm -f " + d + "/run/safety.ready").exitCode()).isNotZero();
        assertThat(asUser("voltkeep", "cat " + d + "/run/safety.ready && rm " + d + "/run/safety.ready").exitCode()).isZero();
        // the parents of the stores are shared and sticky: the application cannot move the safety store aside
        assertThat(asUser("voltkeep-app", "mv " + d + "/data/safety " + d + "/data/safety.set-aside-v9").exitCode()).isNotZero();
        assertThat(asUser("voltkeep-app", "mv " + d + "/data/config/safety " + d + "/data/config/x").exitCode()).isNotZero();
        assertThat(Files.isDirectory(root.resolve("var/lib/voltkeep/data/safety"))).isTrue();
    }

    /** A device node as the udev rule makes a GPIO chip: only the safety user opens it. */
    @Test
    void onlyTheSafetyUserOpensADeviceTheRuleGivesToTheDeviceGroup() throws Exception {
        String rule = Files.readAllLines(Voltkeep.root().resolve("runtime-config/udev/60-voltkeep.rules")).stream()
                .filter(l -> l.contains("KERNEL==\"gpiochip")).findFirst().orElseThrow();
        String group = rule.replaceAll(".*GROUP=\"([^\"]+)\".*", "$1");
        String mode = rule.replaceAll(".*MODE=\"([0-7]+)\".*", "$1");
        Path node = root.resolve("dev-gpiochip0");
        // a character device that takes any write (the null device's numbers), owned as udev would own the chip
        Result made = sh("mknod " + node + " c 1 3 && chown 0:" + gid(group) + " " + node + " && chmod " + mode + " " + node);
        assertThat(made.exitCode()).as(made.all()).isZero();
        String open = "if echo 1 > " + node + " 2>/dev/null; then echo opened; else echo refused; fi";
        assertThat(asUser("voltkeep-safety", open).out().trim()).isEqualTo("opened");
        assertThat(asUser("voltkeep-app", open).out().trim()).isEqualTo("refused");
        assertThat(asUser("voltkeep", open).out().trim()).isEqualTo("refused");
        assertThat(asUser("voltkeep-safety", "id -Gn").out().trim().split(" ")).contains("voltkeep-hw", "voltkeep");
        assertThat(asUser("voltkeep-app", "id -Gn").out().trim().split(" ")).doesNotContain("voltkeep-hw").contains("voltkeep");
    }

    // --- helpers

    /**
     * Runs as one of the stage's users, in a mount namespace that shows the stage's users and
     * groups, with the umask the unit gives every process of the service (UMask=0027).
     */
    private static Result asUser(String user, String script) throws Exception {
        return run(List.of("unshare", "--mount", "--propagation", "private", "--", "sh", "-c",
                "mount --bind " + root + "/etc/passwd /etc/passwd && mount --bind " + root + "/etc/group /etc/group && exec \"$@\"",
                "sh", "/usr/bin/setpriv", "--reuid=" + user, "--regid=" + user, "--init-groups", "--", "sh", "-c", "umask 027; " + script));
    }

    private static Result sh(String script) throws Exception {
        return run(List.of("bash", "-c", script));
    }

    private static Result run(List<String> cmd) throws Exception {
        Path out = Files.createTempFile("field-out", ".txt");
        Path err = Files.createTempFile("field-err", ".txt");
        try {
            Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("did not finish within 120 s: " + cmd);
            }
            return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** Every path under the stage's /etc/voltkeep-related files, the runtime and the device directory: owner and mode. */
    private static Map<String, String> tree() throws IOException {
        Map<String, String> names = new TreeMap<>();
        Map<Integer, String> users = ids("passwd");
        Map<Integer, String> groups = ids("group");
        List<Path> tops = new ArrayList<>(List.of(root.resolve("opt/voltkeep"), root.resolve("var/lib/voltkeep"),
                root.resolve("etc/systemd/system/voltkeep.service"), root.resolve("etc/udev/rules.d/60-voltkeep.rules"),
                root.resolve("etc/tmpfiles.d/voltkeep.conf"), root.resolve("etc/sysusers.d/voltkeep.conf")));
        for (Path top : tops) {
            try (Stream<Path> s = Files.walk(top)) {
                for (Path p : (Iterable<Path>) s::iterator) {
                    int uid = (Integer) Files.getAttribute(p, "unix:uid", LinkOption.NOFOLLOW_LINKS);
                    int gid = (Integer) Files.getAttribute(p, "unix:gid", LinkOption.NOFOLLOW_LINKS);
                    String mode = modeString((Integer) Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS));
                    names.put("/" + root.relativize(p), users.getOrDefault(uid, "" + uid) + ":" + groups.getOrDefault(gid, "" + gid) + " " + mode);
                }
            }
        }
        return names;
    }

    /** As ls and stat -c %A show it: type, then rwx with s/S and t/T. */
    private static String modeString(int mode) {
        char type = switch (mode & 0170000) {
            case 0040000 -> 'd';
            case 0120000 -> 'l';
            case 0020000 -> 'c';
            default -> '-';
        };
        StringBuilder b = new StringBuilder().append(type);
        String rwx = "rwxrwxrwx";
        for (int i = 0; i < 9; i++) {
            b.append((mode & (0400 >> i)) != 0 ? rwx.charAt(i) : '-');
        }
        if ((mode & 02000) != 0) {
            b.setCharAt(6, b.charAt(6) == 'x' ? 's' : 'S');
        }
        if ((mode & 01000) != 0) {
            b.setCharAt(9, b.charAt(9) == 'x' ? 't' : 'T');
        }
        return b.toString();
    }

    private static Map<Integer, String> ids(String file) throws IOException {
        Map<Integer, String> m = new TreeMap<>();
        for (String line : Files.readAllLines(root.resolve("etc").resolve(file), StandardCharsets.UTF_8)) {
            String[] f = line.split(":");
            m.put(Integer.parseInt(f[2]), f[0]);
        }
        return m;
    }

    private static int gid(String group) throws IOException {
        return ids("group").entrySet().stream().filter(e -> e.getValue().equals(group)).findFirst().orElseThrow().getKey();
    }

    private static List<String> groupMembers(String group) throws IOException {
        for (String line : Files.readAllLines(root.resolve("etc/group"))) {
            String[] f = line.split(":", -1);
            if (f[0].equals(group)) {
                return f[3].isEmpty() ? List.of() : List.of(f[3].split(","));
            }
        }
        throw new AssertionError("no group " + group);
    }
}
