package org.voltkeep.zones;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.voltkeep.rot.api.Zone;

class ZonePolicyTest {
    static final String HEAD = """
            voltkeep-zones 1
            domain app
            accept core network
            zone core
              allow package * from framework core
            zone network
            """;

    static ZonePolicy parse(String text) throws ZonePolicyException {
        return ZonePolicy.parse("test.policy", text.getBytes(StandardCharsets.UTF_8));
    }

    static ZonePolicy shippedApp() throws Exception {
        return ZonePolicy.read(RuntimeConfig.zones().resolve("app.policy"));
    }

    @Test
    void theShippedAppPolicyKeepsNetworkToPublishedContracts() throws Exception {
        ZonePolicy p = shippedApp();
        assertThat(p.domain()).isEqualTo("app");
        assertThat(p.acceptedZones()).containsExactlyInAnyOrder(Zone.CORE, Zone.NETWORK);

        // the contracts a network bundle is meant to use
        assertThat(p.mayImport(Zone.NETWORK, "org.voltkeep.charging", Origin.CORE)).isTrue();
        assertThat(p.mayImport(Zone.NETWORK, "org.voltkeep.charging.json", Origin.CORE)).isTrue();
        assertThat(p.mayImport(Zone.NETWORK, "org.voltkeep.json", Origin.CORE)).isTrue();
        assertThat(p.mayImport(Zone.NETWORK, "org.slf4j", Origin.CORE)).isTrue();
        assertThat(p.mayImport(Zone.NETWORK, "org.osgi.service.component.annotations", Origin.CORE)).isTrue();
        assertThat(p.mayImport(Zone.NETWORK, "org.osgi.framework", Origin.FRAMEWORK)).isTrue();
        assertThat(p.mayImport(Zone.NETWORK, "javax.net.ssl", Origin.FRAMEWORK)).isTrue();
        assertThat(p.mayImport(Zone.NETWORK, "com.example.mqtt", Origin.NETWORK)).isTrue();

        // core internals, from whichever origin
        for (String internal : List.of("org.voltkeep.hal", "org.voltkeep.hal.sim", "org.voltkeep.safety.api",
                "org.voltkeep.rot.api", "org.voltkeep.rot.soft", "org.voltkeep.update.agent.internal", "org.voltkeep.link",
                "org.voltkeep.image", "org.voltkeep.securitylog")) {
            for (Origin o : Origin.values()) {
                assertThat(p.mayImport(Zone.NETWORK, internal, o)).as(internal + " from " + o).isFalse();
            }
        }
        // contracts only from core: a network bundle cannot stand in for one
        assertThat(p.mayImport(Zone.NETWORK, "org.voltkeep.charging", Origin.NETWORK)).isFalse();
        assertThat(p.mayImport(Zone.NETWORK, "org.osgi.service.cm", Origin.NETWORK)).isFalse();
        assertThat(p.mayImport(Zone.NETWORK, "org.voltkeep.charging", Origin.FRAMEWORK)).isFalse();
        // what is not listed is denied
        assertThat(p.mayImport(Zone.NETWORK, "org.voltkeep.sessions", Origin.CORE)).isFalse();
        assertThat(p.mayImport(Zone.NETWORK, "org.voltkeep.config", Origin.CORE)).isFalse();
        assertThat(p.mayImport(Zone.NETWORK, "org.osgi.framework.hooks.service", Origin.FRAMEWORK)).isFalse();
        assertThat(p.mayImport(Zone.NETWORK, "org.osgi.framework.wiring", Origin.FRAMEWORK)).isFalse();

        // core never imports from network
        assertThat(p.mayImport(Zone.CORE, "com.example.mqtt", Origin.NETWORK)).isFalse();
        assertThat(p.mayImport(Zone.CORE, "org.voltkeep.hal", Origin.CORE)).isTrue();

        // services
        assertThat(p.maySeeService(Zone.NETWORK, List.of("org.voltkeep.charging.ChargingService"), Origin.CORE)).isTrue();
        assertThat(p.maySeeService(Zone.NETWORK, List.of("org.osgi.service.cm.ConfigurationAdmin"), Origin.CORE)).isFalse();
        assertThat(p.maySeeService(Zone.NETWORK, List.of("org.osgi.service.component.runtime.ServiceComponentRuntime"), Origin.CORE)).isFalse();
        assertThat(p.maySeeService(Zone.NETWORK, List.of("org.osgi.service.packageadmin.PackageAdmin"), Origin.FRAMEWORK)).isFalse();
        assertThat(p.maySeeService(Zone.NETWORK, List.of("org.osgi.service.condition.Condition"), Origin.FRAMEWORK)).isTrue();
        assertThat(p.maySeeService(Zone.NETWORK, List.of("org.voltkeep.hal.Board"), Origin.NETWORK)).isFalse();
        assertThat(p.maySeeService(Zone.CORE, List.of("org.osgi.service.cm.ManagedService"), Origin.NETWORK)).isTrue();
        assertThat(p.maySeeService(Zone.CORE, List.of("org.voltkeep.charging.ChargingService"), Origin.NETWORK)).isFalse();

        // bundles
        assertThat(p.maySeeBundle(Zone.CORE, "com.example.mqtt", Origin.NETWORK)).isTrue();
        assertThat(p.maySeeBundle(Zone.NETWORK, "org.voltkeep.link.client", Origin.CORE)).isFalse();
    }

    @Test
    void theShippedSafetyPolicyAcceptsTheSafetyZoneOnly() throws Exception {
        ZonePolicy p = ZonePolicy.read(RuntimeConfig.zones().resolve("safety.policy"));
        assertThat(p.domain()).isEqualTo("safety");
        assertThat(p.acceptedZones()).containsExactly(Zone.SAFETY);
        assertThat(p.accepts(Zone.CORE)).isFalse();
        assertThat(p.accepts(Zone.NETWORK)).isFalse();
        assertThat(p.mayImport(Zone.SAFETY, "org.voltkeep.hal", Origin.SAFETY)).isTrue();
        // a zone the domain does not accept has no rights at all
        assertThat(p.mayImport(Zone.CORE, "org.voltkeep.hal", Origin.SAFETY)).isFalse();
    }

    @Test
    void aServiceIsAsVisibleAsItsLeastVisibleName() throws Exception {
        ZonePolicy p = shippedApp();
        assertThat(p.maySeeService(Zone.NETWORK,
                List.of("org.voltkeep.charging.ChargingService", "org.voltkeep.hal.Board"), Origin.CORE)).isFalse();
        assertThat(p.maySeeService(Zone.NETWORK,
                List.of("org.voltkeep.charging.ChargingService", "org.voltkeep.link.client.Internal"), Origin.CORE)).isFalse();
        assertThat(p.maySeeService(Zone.NETWORK, List.of(), Origin.CORE)).isFalse();
    }

    @Test
    void aDenyWinsWhateverItsPlaceAndASubtreeCoversItsStem() throws Exception {
        ZonePolicy p = parse(HEAD + """
                  deny package org.example.secret.*
                  allow package org.example.* from core
                """);
        assertThat(p.mayImport(Zone.NETWORK, "org.example.api", Origin.CORE)).isTrue();
        assertThat(p.mayImport(Zone.NETWORK, "org.example", Origin.CORE)).isTrue();
        assertThat(p.mayImport(Zone.NETWORK, "org.example.secret", Origin.CORE)).isFalse();
        assertThat(p.mayImport(Zone.NETWORK, "org.example.secret.keys", Origin.CORE)).isFalse();
        assertThat(p.mayImport(Zone.NETWORK, "org.examplesecret", Origin.CORE)).isFalse();
        assertThat(p.decide(Zone.NETWORK, Rule.Kind.PACKAGE, "org.example.secret.keys", Origin.CORE).reason())
                .isEqualTo("denied by line 7 (deny package org.example.secret.* from framework core network)");
        assertThat(p.decide(Zone.NETWORK, Rule.Kind.PACKAGE, "org.other", Origin.CORE).reason()).isEqualTo("no rule allows it");
    }

    @Test
    void aDenyLimitedToAnOriginLeavesTheOthers() throws Exception {
        ZonePolicy p = parse(HEAD + """
                  allow package org.example.* from core network
                  deny package org.example.api from network
                """);
        assertThat(p.mayImport(Zone.NETWORK, "org.example.api", Origin.CORE)).isTrue();
        assertThat(p.mayImport(Zone.NETWORK, "org.example.api", Origin.NETWORK)).isFalse();
    }

    @Test
    void anEmptySectionDeniesEverything() throws Exception {
        ZonePolicy p = parse(HEAD);
        assertThat(p.mayImport(Zone.NETWORK, "org.osgi.framework", Origin.FRAMEWORK)).isFalse();
        assertThat(p.maySeeBundle(Zone.NETWORK, "x", Origin.NETWORK)).isFalse();
    }

    @Test
    void commentsBlankLinesTabsAndCrLfAreFine() throws Exception {
        ZonePolicy p = parse("# top\r\nvoltkeep-zones 1   # version\r\n\r\ndomain\tapp\naccept core\nzone core\n\tallow package * from core # all\n");
        assertThat(p.mayImport(Zone.CORE, "a.b", Origin.CORE)).isTrue();
        assertThat(p.source()).isEqualTo("test.policy");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiterString = " :: ", quoteCharacter = '"', textBlock = """
            empty :: # nothing\\n :: test.policy: empty policy: the first line must be 'voltkeep-zones 1'
            no version line :: domain app\\n :: test.policy line 1: expected 'voltkeep-zones 1' before anything else, found 'domain'
            future version :: voltkeep-zones 2\\n :: test.policy line 1: format version '2' is not supported (this runtime reads version 1)
            version twice :: voltkeep-zones 1\\nvoltkeep-zones 1\\n :: test.policy line 2: 'voltkeep-zones' appears twice (first on line 1)
            unknown directive :: voltkeep-zones 1\\ndomian app\\n :: test.policy line 2: unknown directive 'domian' (expected domain, accept, zone, allow or deny)
            unknown domain :: voltkeep-zones 1\\ndomain cloud\\n :: test.policy line 2: domain 'cloud' is not safety or app
            domain twice :: voltkeep-zones 1\\ndomain app\\ndomain app\\n :: test.policy line 3: 'domain' appears twice (first on line 2)
            no domain :: voltkeep-zones 1\\n :: test.policy: no 'domain' line
            accept before domain :: voltkeep-zones 1\\naccept core\\n :: test.policy line 2: 'accept' must follow the 'domain' line
            no accept :: voltkeep-zones 1\\ndomain app\\n :: test.policy: no 'accept' line
            accept nothing :: voltkeep-zones 1\\ndomain app\\naccept\\n :: test.policy line 3: 'accept' names no zone
            unknown zone :: voltkeep-zones 1\\ndomain app\\naccept core cloud\\n :: test.policy line 3: unknown zone 'cloud' (expected safety, core or network)
            zone twice in accept :: voltkeep-zones 1\\ndomain app\\naccept core core\\n :: test.policy line 3: zone core is listed twice
            safety domain with core :: voltkeep-zones 1\\ndomain safety\\naccept safety core\\n :: test.policy line 3: the safety domain accepts the safety zone only, found 'safety core'
            safety domain without safety :: voltkeep-zones 1\\ndomain safety\\naccept network\\n :: test.policy line 3: the safety domain accepts the safety zone only, found 'network'
            app domain with safety :: voltkeep-zones 1\\ndomain app\\naccept core safety\\n :: test.policy line 3: the application domain never runs the safety zone (safety bundles run in the safety domain only)
            zone before accept :: voltkeep-zones 1\\ndomain app\\nzone core\\n :: test.policy line 3: 'zone' sections follow the 'domain' and 'accept' lines
            section of a zone not accepted :: voltkeep-zones 1\\ndomain app\\naccept core\\nzone network\\n :: test.policy line 4: zone network is not accepted in domain app (line 3)
            section twice :: voltkeep-zones 1\\ndomain app\\naccept core\\nzone core\\nzone core\\n :: test.policy line 5: zone core has a section already (line 4)
            accepted zone without section :: voltkeep-zones 1\\ndomain app\\naccept core network\\nzone core\\n :: test.policy: zone network is accepted (line 3) but has no 'zone network' section; write it out, even empty (an empty section denies everything)
            rule outside a section :: voltkeep-zones 1\\ndomain app\\naccept core\\nallow package * from core\\n :: test.policy line 4: 'allow' outside a 'zone' section
            """)
    void badStructureIsRefusedWithItsLine(String what, String text, String message) {
        assertThatThrownBy(() -> parse(text.replace("\\n", "\n")))
                .isInstanceOf(ZonePolicyException.class)
                .hasMessage(message);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiterString = " :: ", quoteCharacter = '"', textBlock = """
            rule too short :: allow package :: test.policy line 7: expected '<allow|deny> <package|capability|service|bundle> <pattern> from <origin>...'
            unknown kind :: allow class x from core :: test.policy line 7: 'class' is not package, capability, service or bundle
            star inside :: allow package org.*.hal from core :: test.policy line 7: pattern 'org.*.hal' is not a dotted name, 'name.*' or '*' (a '*' may stand only alone or as the last segment)
            trailing dot :: allow package org. from core :: test.policy line 7: pattern 'org.' is not a dotted name, 'name.*' or '*'
            glob suffix :: allow package org.volt* from core :: test.policy line 7: pattern 'org.volt*' is not a dotted name, 'name.*' or '*' (a '*' may stand only alone or as the last segment)
            no from :: allow package org.x core :: test.policy line 7: expected 'from' after the pattern, found 'core'
            from nothing :: allow package org.x from :: test.policy line 7: 'from' names no origin (expected framework, safety, core or network)
            allow without origin :: allow package org.x :: test.policy line 7: an 'allow' rule needs 'from <origin>...': say whose packages it allows
            unknown origin :: allow package org.x from cor :: test.policy line 7: unknown origin 'cor' (expected framework, safety, core or network)
            origin not accepted :: allow service org.x from safety :: test.policy line 7: origin safety: zone safety is not accepted in domain app (line 3)
            origin twice :: allow service org.x from core core :: test.policy line 7: origin core is listed twice
            framework bundle rule :: allow bundle * from framework network :: test.policy line 7: the system bundle is always visible; 'framework' has no place in a bundle rule
            wiring namespace :: allow capability osgi.wiring.* from core :: test.policy line 7: capability rules cover generic namespaces only: packages have 'package' rules, and Require-Bundle and Fragment-Host wire within a zone only
            """)
    void badRulesAreRefusedWithTheirLine(String what, String rule, String message) {
        assertThatThrownBy(() -> parse(HEAD + "  " + rule + "\n"))
                .isInstanceOf(ZonePolicyException.class)
                .hasMessage(message);
    }

    @Test
    void coreMayNeverBeWiredToNetwork() {
        assertThatThrownBy(() -> parse("""
                voltkeep-zones 1
                domain app
                accept core network
                zone core
                  allow package com.example.* from core network
                zone network
                """))
                .isInstanceOf(ZonePolicyException.class)
                .hasMessage("test.policy line 5: zone core may not be wired to network: refreshing a network bundle would then "
                        + "stop and restart core bundles (wiring runs from network to core, never back)");
        assertThatThrownBy(() -> parse("""
                voltkeep-zones 1
                domain app
                accept core network
                zone core
                  allow capability osgi.extender from network
                zone network
                """))
                .isInstanceOf(ZonePolicyException.class)
                .hasMessageStartingWith("test.policy line 5: zone core may not be wired to network");
    }

    @Test
    void anAllowThatADenyHidesCompletelyIsAMistake() {
        assertThatThrownBy(() -> parse(HEAD + """
                  deny package org.voltkeep.hal.*
                  allow package org.voltkeep.hal.sim from core
                """))
                .isInstanceOf(ZonePolicyException.class)
                .hasMessage("test.policy line 8: this allow has no effect: line 7 denies package org.voltkeep.hal.* from framework core network");
    }

    @Test
    void brokenBytesAreRefused() {
        assertThatThrownBy(() -> ZonePolicy.parse("x.policy", new byte[] {(byte) 0xef, (byte) 0xbb, (byte) 0xbf, 'v'}))
                .hasMessage("x.policy: starts with a byte-order mark; write plain UTF-8");
        assertThatThrownBy(() -> ZonePolicy.parse("x.policy", new byte[] {'v', (byte) 0xc3, '(', '\n'}))
                .hasMessage("x.policy: is not valid UTF-8");
        assertThatThrownBy(() -> parse("voltkeep-zones 1\ndomain\u0000 app\n"))
                .hasMessage("test.policy line 2: control character U+0000 at column 7");
        assertThatThrownBy(() -> ZonePolicy.parse("x.policy", new byte[ZonePolicy.MAX_BYTES + 1]))
                .hasMessage("x.policy: file is 65537 bytes; a zone policy may have at most 65536");
    }

    @Test
    void readingAFileNamesItInErrors(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("zones.policy");
        Files.writeString(f, "voltkeep-zones 1\ndomain app\naccept core\nzone core\n  deny package x.*\n  allow package x.y from core\n");
        assertThatThrownBy(() -> ZonePolicy.read(f))
                .isInstanceOf(ZonePolicyException.class)
                .hasMessageStartingWith(f + " line 6: this allow has no effect")
                .satisfies(e -> {
                    ZonePolicyException z = (ZonePolicyException) e;
                    assertThat(z.source()).isEqualTo(f.toString());
                    assertThat(z.line()).isEqualTo(6);
                });
    }

    @Test
    void patternsMatchAndCoverAsDocumented() {
        NamePattern all = NamePattern.parse("*");
        NamePattern tree = NamePattern.parse("a.b.*");
        NamePattern exact = NamePattern.parse("a.b");
        assertThat(Set.of("a", "a.b", "x.y.z").stream().allMatch(all::matches)).isTrue();
        assertThat(tree.matches("a.b")).isTrue();
        assertThat(tree.matches("a.b.c.d")).isTrue();
        assertThat(tree.matches("a.bc")).isFalse();
        assertThat(exact.matches("a.b.c")).isFalse();
        assertThat(tree.covers(exact)).isTrue();
        assertThat(tree.covers(NamePattern.parse("a.b.c.*"))).isTrue();
        assertThat(tree.covers(NamePattern.parse("a.*"))).isFalse();
        assertThat(exact.covers(tree)).isFalse();
        assertThat(all.covers(tree)).isTrue();
        assertThat(tree.covers(all)).isFalse();
    }
}
