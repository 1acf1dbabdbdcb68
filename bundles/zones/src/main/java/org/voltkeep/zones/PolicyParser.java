package org.voltkeep.zones;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.voltkeep.rot.api.Zone;

/** Reads the zone policy format (module README) strictly: the first problem found is reported with its line. */
final class PolicyParser {
    private static final String RULE_SYNTAX = "'<allow|deny> <package|capability|service|bundle> <pattern> from <origin>...'";
    private static final String ORIGINS = "framework, safety, core or network";

    private final String source;
    private int versionLine;
    private String domain;
    private int domainLine;
    private Set<Zone> accepted;
    private int acceptLine;
    private Zone section;
    private final Map<Zone, List<Rule>> rules = new EnumMap<>(Zone.class);
    private final Map<Zone, Integer> sectionLines = new EnumMap<>(Zone.class);

    private PolicyParser(String source) {
        this.source = source;
    }

    static ZonePolicy parse(String source, byte[] bytes) throws ZonePolicyException {
        PolicyParser p = new PolicyParser(source);
        String text = p.decode(bytes);
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            p.line(i + 1, lines[i]);
        }
        return p.finish();
    }

    private String decode(byte[] bytes) throws ZonePolicyException {
        if (bytes.length > ZonePolicy.MAX_BYTES) {
            throw fileError("file is " + bytes.length + " bytes; a zone policy may have at most " + ZonePolicy.MAX_BYTES);
        }
        if (bytes.length >= 3 && (bytes[0] & 0xff) == 0xef && (bytes[1] & 0xff) == 0xbb && (bytes[2] & 0xff) == 0xbf) {
            throw fileError("starts with a byte-order mark; write plain UTF-8");
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw fileError("is not valid UTF-8");
        }
    }

    private void line(int n, String raw) throws ZonePolicyException {
        String line = raw.endsWith("\r") ? raw.substring(0, raw.length() - 1) : raw;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c != '\t' && (c < 0x20 || c == 0x7f)) {
                throw error(n, String.format("control character U+%04X at column %d", (int) c, i + 1));
            }
        }
        int hash = line.indexOf('#');
        String content = (hash >= 0 ? line.substring(0, hash) : line).strip();
        if (content.isEmpty()) {
            return;
        }
        String[] t = content.split("[ \t]+");
        if (versionLine == 0) {
            version(n, t);
            return;
        }
        switch (t[0]) {
            case "voltkeep-zones" -> throw error(n, "'voltkeep-zones' appears twice (first on line " + versionLine + ")");
            case "domain" -> domain(n, t);
            case "accept" -> accept(n, t);
            case "zone" -> zone(n, t);
            case "allow", "deny" -> rule(n, t);
            default -> throw error(n, "unknown directive '" + t[0] + "' (expected domain, accept, zone, allow or deny)");
        }
    }

    private void version(int n, String[] t) throws ZonePolicyException {
        if (!t[0].equals("voltkeep-zones")) {
            throw error(n, "expected 'voltkeep-zones " + ZonePolicy.FORMAT_VERSION + "' before anything else, found '" + t[0] + "'");
        }
        if (t.length != 2) {
            throw error(n, "expected 'voltkeep-zones " + ZonePolicy.FORMAT_VERSION + "'");
        }
        if (!t[1].equals(Integer.toString(ZonePolicy.FORMAT_VERSION))) {
            throw error(n, "format version '" + t[1] + "' is not supported (this runtime reads version " + ZonePolicy.FORMAT_VERSION + ")");
        }
        versionLine = n;
    }

    private void domain(int n, String[] t) throws ZonePolicyException {
        if (domain != null) {
            throw error(n, "'domain' appears twice (first on line " + domainLine + ")");
        }
        if (t.length != 2) {
            throw error(n, "expected 'domain <safety|app>'");
        }
        if (!t[1].equals(ZonePolicy.SAFETY_DOMAIN) && !t[1].equals(ZonePolicy.APP_DOMAIN)) {
            throw error(n, "domain '" + t[1] + "' is not safety or app");
        }
        domain = t[1];
        domainLine = n;
    }

    private void accept(int n, String[] t) throws ZonePolicyException {
        if (domain == null) {
            throw error(n, "'accept' must follow the 'domain' line");
        }
        if (accepted != null) {
            throw error(n, "'accept' appears twice (first on line " + acceptLine + ")");
        }
        if (t.length < 2) {
            throw error(n, "'accept' names no zone");
        }
        Set<Zone> zones = EnumSet.noneOf(Zone.class);
        for (int i = 1; i < t.length; i++) {
            Zone z = zone(n, t[i]);
            if (!zones.add(z)) {
                throw error(n, "zone " + z.id() + " is listed twice");
            }
        }
        if (domain.equals(ZonePolicy.SAFETY_DOMAIN) && !zones.equals(EnumSet.of(Zone.SAFETY))) {
            throw error(n, "the safety domain accepts the safety zone only, found '" + String.join(" ", List.of(t).subList(1, t.length)) + "'");
        }
        if (domain.equals(ZonePolicy.APP_DOMAIN) && zones.contains(Zone.SAFETY)) {
            throw error(n, "the application domain never runs the safety zone (safety bundles run in the safety domain only)");
        }
        accepted = zones;
        acceptLine = n;
    }

    private void zone(int n, String[] t) throws ZonePolicyException {
        if (accepted == null) {
            throw error(n, "'zone' sections follow the 'domain' and 'accept' lines");
        }
        if (t.length != 2) {
            throw error(n, "expected 'zone <safety|core|network>'");
        }
        Zone z = zone(n, t[1]);
        if (!accepted.contains(z)) {
            throw error(n, "zone " + z.id() + " is not accepted in domain " + domain + " (line " + acceptLine + ")");
        }
        Integer first = sectionLines.putIfAbsent(z, n);
        if (first != null) {
            throw error(n, "zone " + z.id() + " has a section already (line " + first + ")");
        }
        rules.put(z, new ArrayList<>());
        section = z;
    }

    private void rule(int n, String[] t) throws ZonePolicyException {
        if (section == null) {
            throw error(n, "'" + t[0] + "' outside a 'zone' section");
        }
        boolean allow = t[0].equals("allow");
        if (t.length < 3) {
            throw error(n, "expected " + RULE_SYNTAX);
        }
        Rule.Kind kind = Rule.Kind.parse(t[1])
                .orElseThrow(() -> error(n, "'" + t[1] + "' is not package, capability, service or bundle"));
        NamePattern pattern;
        try {
            pattern = NamePattern.parse(t[2]);
        } catch (IllegalArgumentException e) {
            throw error(n, e.getMessage());
        }
        if (t.length > 3 && !t[3].equals("from")) {
            throw error(n, "expected 'from' after the pattern, found '" + t[3] + "'");
        }
        if (t.length == 4) {
            throw error(n, "'from' names no origin (expected " + ORIGINS + ")");
        }
        Set<Origin> origins = EnumSet.noneOf(Origin.class);
        if (t.length == 3) {
            if (allow) {
                throw error(n, "an 'allow' rule needs 'from <origin>...': say whose " + kind.id() + "s it allows");
            }
            origins.add(Origin.FRAMEWORK);
            accepted.forEach(z -> origins.add(Origin.of(z)));
        }
        for (int i = 4; i < t.length; i++) {
            String id = t[i];
            Origin o = Origin.parse(id).orElseThrow(() -> error(n, "unknown origin '" + id + "' (expected " + ORIGINS + ")"));
            if (o.zone().isPresent() && !accepted.contains(o.zone().get())) {
                throw error(n, "origin " + id + ": zone " + id + " is not accepted in domain " + domain + " (line " + acceptLine + ")");
            }
            if (!origins.add(o)) {
                throw error(n, "origin " + id + " is listed twice");
            }
        }
        if (kind == Rule.Kind.BUNDLE && t.length > 3 && origins.contains(Origin.FRAMEWORK)) {
            throw error(n, "the system bundle is always visible; 'framework' has no place in a bundle rule");
        }
        if (kind == Rule.Kind.CAPABILITY && pattern.form() != NamePattern.Form.ALL
                && (pattern.matches("osgi.wiring.package") || pattern.matches("osgi.wiring.bundle") || pattern.matches("osgi.wiring.host"))) {
            throw error(n, "capability rules cover generic namespaces only: packages have 'package' rules, and "
                    + "Require-Bundle and Fragment-Host wire within a zone only");
        }
        if (allow && (kind == Rule.Kind.PACKAGE || kind == Rule.Kind.CAPABILITY)) {
            for (Origin o : origins) {
                if (!mayWire(section, o)) {
                    throw error(n, "zone " + section.id() + " may not be wired to " + o.id() + ": refreshing a " + o.id()
                            + " bundle would then stop and restart " + section.id() + " bundles (wiring runs from network to core, never back)");
                }
            }
        }
        rules.get(section).add(new Rule(allow, kind, pattern, origins, n));
    }

    /** The one direction wiring may take between zones: each zone upwards to what it trusts more, and the framework. */
    private static boolean mayWire(Zone requirer, Origin provider) {
        if (provider == Origin.FRAMEWORK || provider == Origin.of(requirer)) {
            return true;
        }
        return requirer == Zone.NETWORK && provider == Origin.CORE;
    }

    private Zone zone(int n, String id) throws ZonePolicyException {
        for (Zone z : Zone.values()) {
            if (z.id().equals(id)) {
                return z;
            }
        }
        throw error(n, "unknown zone '" + id + "' (expected safety, core or network)");
    }

    private ZonePolicy finish() throws ZonePolicyException {
        if (versionLine == 0) {
            throw fileError("empty policy: the first line must be 'voltkeep-zones " + ZonePolicy.FORMAT_VERSION + "'");
        }
        if (domain == null) {
            throw fileError("no 'domain' line");
        }
        if (accepted == null) {
            throw fileError("no 'accept' line");
        }
        for (Zone z : accepted) {
            if (!rules.containsKey(z)) {
                throw fileError("zone " + z.id() + " is accepted (line " + acceptLine + ") but has no 'zone " + z.id()
                        + "' section; write it out, even empty (an empty section denies everything)");
            }
        }
        for (Map.Entry<Zone, List<Rule>> e : rules.entrySet()) {
            checkShadowing(e.getValue());
        }
        return new ZonePolicy(source, domain, accepted, rules);
    }

    /** An allow that a deny covers completely is a mistake in the file, not a rule: refuse it rather than ignore it. */
    private void checkShadowing(List<Rule> list) throws ZonePolicyException {
        for (Rule allow : list) {
            if (!allow.allow()) {
                continue;
            }
            for (Rule deny : list) {
                if (!deny.allow() && deny.kind() == allow.kind() && deny.pattern().covers(allow.pattern())
                        && deny.origins().containsAll(allow.origins())) {
                    throw error(allow.line(), "this allow has no effect: line " + deny.line() + " denies "
                            + deny.kind().id() + " " + deny.pattern() + " from "
                            + deny.origins().stream().sorted().map(Origin::id).collect(Collectors.joining(" ")));
                }
            }
        }
    }

    private ZonePolicyException error(int line, String problem) {
        return new ZonePolicyException(source, line, problem);
    }

    private ZonePolicyException fileError(String problem) {
        return new ZonePolicyException(source, 0, problem);
    }
}
