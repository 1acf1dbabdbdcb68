package org.voltkeep.integration.system;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

/**
 * What the shipped unit, users, device directory and udev rule promise, read from the
 * files themselves (no systemd needed; FieldInstallTest verifies them with systemd and
 * tries them with real users). Each check fails when someone weakens the file.
 */
class FieldUnitFilesTest {
    private static final Path DIR = Voltkeep.root().resolve("runtime-config");

    /** The [Service] section: each key with every value it was given, in order. */
    private static Map<String, List<String>> service() throws IOException {
        Map<String, List<String>> keys = new LinkedHashMap<>();
        String section = "";
        for (String line : Files.readAllLines(DIR.resolve("systemd/voltkeep.service"))) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            if (l.startsWith("[")) {
                section = l;
                continue;
            }
            if (section.equals("[Service]")) {
                int eq = l.indexOf('=');
                keys.computeIfAbsent(l.substring(0, eq), k -> new ArrayList<>()).add(l.substring(eq + 1));
            }
        }
        return keys;
    }

    private static String one(Map<String, List<String>> s, String key) {
        assertThat(s.get(key)).as(key).isNotNull().hasSize(1);
        return s.get(key).get(0);
    }

    private static Set<String> words(Map<String, List<String>> s, String key) {
        return s.getOrDefault(key, List.of()).stream().flatMap(v -> Arrays.stream(v.split("\\s+"))).collect(Collectors.toSet());
    }

    @Test
    void theLauncherRunsAsItsOwnUserAndEachDomainAsAnother() throws IOException {
        Map<String, List<String>> s = service();
        assertThat(one(s, "User")).isEqualTo("voltkeep");
        Matcher m = Pattern.compile("--domain-users safety=([a-z-]+),app=([a-z-]+)").matcher(one(s, "ExecStart"));
        assertThat(m.find()).as("ExecStart names both domains' users").isTrue();
        assertThat(Set.of("voltkeep", m.group(1), m.group(2))).as("three different users").hasSize(3);
        assertThat(m.group(1)).isEqualTo("voltkeep-safety");
        assertThat(m.group(2)).isEqualTo("voltkeep-app");
        assertThat(one(s, "ExecStart")).startsWith("/opt/voltkeep/bin/voltkeep run --device /var/lib/voltkeep ");
    }

    @Test
    void stoppingSignalsTheLauncherAloneSoSafetyStopsFirst() throws IOException {
        Map<String, List<String>> s = service();
        assertThat(one(s, "KillMode")).isEqualTo("mixed");
        assertThat(one(s, "TimeoutStopSec")).isEqualTo("45s"); // safety's 15 s grace, then the application's, and a margin
        assertThat(words(s, "RestartPreventExitStatus")).containsExactlyInAnyOrder("2", "3");
    }

    @Test
    void theSandboxIsOnAndTheLauncherHoldsOnlyWhatSwitchingUsersNeeds() throws IOException {
        Map<String, List<String>> s = service();
        for (String yes : List.of("NoNewPrivileges", "PrivateTmp", "ProtectHome", "ProtectKernelTunables", "ProtectKernelModules",
                "ProtectKernelLogs", "ProtectControlGroups", "ProtectClock", "ProtectHostname", "RestrictNamespaces",
                "RestrictRealtime", "RestrictSUIDSGID", "LockPersonality", "PrivateIPC", "RemoveIPC")) {
            assertThat(one(s, yes)).as(yes).isEqualTo("yes");
        }
        assertThat(one(s, "ProtectSystem")).isEqualTo("strict");
        assertThat(words(s, "ReadWritePaths")).containsExactlyInAnyOrder("/var/lib/voltkeep", "-/sys/class/pwm", "-/sys/devices/platform");
        Set<String> caps = Set.of("CAP_SETUID", "CAP_SETGID", "CAP_KILL");
        assertThat(words(s, "CapabilityBoundingSet")).isEqualTo(caps);
        assertThat(words(s, "AmbientCapabilities")).isEqualTo(caps);
        assertThat(one(s, "SystemCallFilter")).isEqualTo("@system-service");
        assertThat(one(s, "SystemCallArchitectures")).isEqualTo("native");
        assertThat(words(s, "RestrictAddressFamilies")).containsExactlyInAnyOrder("AF_UNIX", "AF_INET", "AF_INET6", "AF_NETLINK");
        assertThat(one(s, "UMask")).isEqualTo("0027");
        assertThat(one(s, "MemoryMax")).matches("[0-9]+M");
        assertThat(one(s, "TasksMax")).matches("[0-9]+");
        assertThat(s).doesNotContainKeys("PrivateUsers", "ProtectProc", "MemoryDenyWriteExecute", "DynamicUser");
    }

    @Test
    void theUnitReachesTheBoardsDevicesOnlyAndNothingElse() throws IOException {
        Map<String, List<String>> s = service();
        assertThat(one(s, "DevicePolicy")).isEqualTo("closed");
        assertThat(s.get("DeviceAllow")).containsExactlyInAnyOrder("char-gpiochip rw", "char-watchdog rw", "/dev/watchdog rw",
                "char-i2c rw", "char-spi rw");
    }

    @Test
    void onlyTheSafetyUserIsInTheDeviceGroup() throws IOException {
        List<String> members = new ArrayList<>();
        Set<String> users = new java.util.HashSet<>();
        for (String line : Files.readAllLines(DIR.resolve("systemd/voltkeep.sysusers"))) {
            String[] f = line.strip().split("\\s+");
            if (f.length >= 3 && f[0].equals("m") && f[2].equals("voltkeep-hw")) {
                members.add(f[1]);
            }
            if (f.length >= 2 && f[0].equals("u")) {
                users.add(f[1]);
            }
        }
        assertThat(users).containsExactlyInAnyOrder("voltkeep", "voltkeep-safety", "voltkeep-app");
        assertThat(members).containsExactly("voltkeep-safety");
    }

    @Test
    void everyDeviceTheRuleNamesGoesToTheDeviceGroupAndNoOneElse() throws IOException {
        List<String> rules = Files.readAllLines(DIR.resolve("udev/60-voltkeep.rules")).stream()
                .filter(l -> !l.isBlank() && !l.startsWith("#") && !l.startsWith(" ")).toList();
        Set<String> kernels = new java.util.HashSet<>();
        for (String r : rules) {
            Matcher k = Pattern.compile("KERNEL==\"([^\"]+)\"").matcher(r);
            assertThat(k.find()).as(r).isTrue();
            kernels.add(k.group(1));
            if (r.contains("SUBSYSTEM==\"pwm\"")) {
                continue; // sysfs: the RUN+= line below it
            }
            assertThat(r).as(r).contains("GROUP=\"voltkeep-hw\"").contains("MODE=\"0660\"");
        }
        assertThat(kernels).containsExactlyInAnyOrder("gpiochip[0-9]*", "watchdog", "watchdog[0-9]*", "i2c-[0-9]*", "spidev[0-9]*",
                "pwmchip[0-9]*");
        assertThat(Files.readString(DIR.resolve("udev/60-voltkeep.rules")))
                .contains("RUN+=\"/bin/sh -c 'chgrp -R voltkeep-hw /sys%p && chmod -R g+rwX,o-rwx /sys%p'\"");
    }

    /** The device directory: who owns each part, and that no part is open to others. */
    @Test
    void theDeviceDirectoryGivesEachPartToItsOwnerAndNothingToOthers() throws IOException {
        Map<String, String> entries = new LinkedHashMap<>();
        for (String line : Files.readAllLines(DIR.resolve("systemd/voltkeep.tmpfiles"))) {
            String[] f = line.strip().split("\\s+");
            if (f.length == 6 && !f[0].startsWith("#")) {
                String path = f[1].replace("/var/lib/voltkeep", "DEVICE");
                entries.put(path, f[0] + " " + f[2] + " " + f[3] + " " + f[4]);
                assertThat(Integer.parseInt(f[2], 8) & 07).as(path + " mode for others").isZero();
            }
        }
        assertThat(entries).containsExactly(
                Map.entry("DEVICE", "d 0750 voltkeep voltkeep"),
                Map.entry("DEVICE/slots", "d 0750 voltkeep voltkeep"),
                Map.entry("DEVICE/slots/a", "d 0750 voltkeep voltkeep"),
                Map.entry("DEVICE/slots/b", "d 0750 voltkeep voltkeep"),
                Map.entry("DEVICE/rot", "d 0700 voltkeep voltkeep"),
                Map.entry("DEVICE/run", "d 3770 voltkeep voltkeep"),
                Map.entry("DEVICE/data", "d 1770 voltkeep voltkeep"),
                Map.entry("DEVICE/data/logs", "d 0700 voltkeep voltkeep"),
                Map.entry("DEVICE/data/security", "d 0700 voltkeep voltkeep"),
                Map.entry("DEVICE/data/.security.lock", "f 0600 voltkeep voltkeep"),
                Map.entry("DEVICE/data/safety", "d 0700 voltkeep-safety voltkeep-safety"),
                Map.entry("DEVICE/data/.safety.lock", "f 0600 voltkeep-safety voltkeep-safety"),
                Map.entry("DEVICE/data/sessions", "d 0700 voltkeep-app voltkeep-app"),
                Map.entry("DEVICE/data/.sessions.lock", "f 0600 voltkeep-app voltkeep-app"),
                Map.entry("DEVICE/data/config", "d 1770 voltkeep voltkeep"),
                Map.entry("DEVICE/data/config/safety", "d 2770 voltkeep-safety voltkeep-safety"),
                Map.entry("DEVICE/data/config/.safety.lock", "f 0600 voltkeep-safety voltkeep-safety"),
                Map.entry("DEVICE/data/config/app", "d 2770 voltkeep-app voltkeep-app"),
                Map.entry("DEVICE/data/config/.app.lock", "f 0600 voltkeep-app voltkeep-app"));
    }
}
