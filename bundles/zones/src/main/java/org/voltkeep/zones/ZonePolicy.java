package org.voltkeep.zones;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.voltkeep.rot.api.Zone;

/**
 * The zone policy of one domain, parsed and checked: which zones the domain accepts,
 * and for each zone which packages, generic capabilities, services and bundles of
 * which {@link Origin} its bundles may wire to and see. Everything not allowed is
 * denied, and a {@code deny} wins over any {@code allow}. The file format is in the
 * module README; {@link #parse} refuses anything else with the file, the line and
 * what is wrong.
 *
 * <p>Some rules hold whatever the file says, and the parser refuses a policy that
 * contradicts them: the safety domain accepts the safety zone only and the
 * application domain never accepts it; a zone is wired (packages, capabilities) only
 * to the framework, to itself, and for the network zone to core, never the other way,
 * so that refreshing a network bundle never reaches a bundle of another zone.
 * {@code Require-Bundle} and {@code Fragment-Host} wire only within a zone; a bundle
 * always sees the system bundle, itself and its own services.
 */
public final class ZonePolicy {
    /** The format version this runtime reads (first line {@code voltkeep-zones 1}). */
    public static final int FORMAT_VERSION = 1;
    /** Largest policy file accepted. */
    public static final int MAX_BYTES = 64 * 1024;
    /** The domain that runs the safety zone only. */
    public static final String SAFETY_DOMAIN = "safety";
    /** The domain that runs core and network bundles. */
    public static final String APP_DOMAIN = "app";

    private final String source;
    private final String domain;
    private final Set<Zone> accepted;
    private final Map<Zone, List<Rule>> rules;

    ZonePolicy(String source, String domain, Set<Zone> accepted, Map<Zone, List<Rule>> rules) {
        this.source = source;
        this.domain = domain;
        this.accepted = Collections.unmodifiableSet(EnumSet.copyOf(accepted));
        Map<Zone, List<Rule>> copy = new EnumMap<>(Zone.class);
        rules.forEach((z, list) -> copy.put(z, List.copyOf(list)));
        this.rules = Collections.unmodifiableMap(copy);
    }

    /** Reads and checks a policy file; the file's path names it in every error. */
    public static ZonePolicy read(Path file) throws IOException, ZonePolicyException {
        long size = Files.size(file);
        if (size > MAX_BYTES) {
            throw new ZonePolicyException(file.toString(), 0, "file is " + size + " bytes; a zone policy may have at most " + MAX_BYTES);
        }
        return parse(file.toString(), Files.readAllBytes(file));
    }

    /**
     * Parses and checks a policy.
     *
     * @param source names the policy in error messages (a file, or an image entry such as {@code config/app/zones.policy})
     * @param bytes  the policy, UTF-8
     */
    public static ZonePolicy parse(String source, byte[] bytes) throws ZonePolicyException {
        return PolicyParser.parse(source, bytes);
    }

    /** Where this policy came from, as given to {@link #parse} or {@link #read}. */
    public String source() {
        return source;
    }

    /** The domain this policy is for: {@value #SAFETY_DOMAIN} or {@value #APP_DOMAIN}. */
    public String domain() {
        return domain;
    }

    /** The zones whose bundles this domain installs; a bundle of any other zone is refused before it is installed. */
    public Set<Zone> acceptedZones() {
        return accepted;
    }

    public boolean accepts(Zone zone) {
        return accepted.contains(zone);
    }

    /** Whether a bundle of {@code requirer} may import {@code packageName} exported by a bundle of {@code provider}. */
    public boolean mayImport(Zone requirer, String packageName, Origin provider) {
        return decide(requirer, Rule.Kind.PACKAGE, packageName, provider).allowed();
    }

    /**
     * Whether a bundle of {@code requirer} may be wired to a generic capability in
     * {@code namespace} (such as {@code osgi.extender} or {@code osgi.ee}) that {@code provider} offers.
     */
    public boolean mayRequire(Zone requirer, String namespace, Origin provider) {
        return decide(requirer, Rule.Kind.CAPABILITY, namespace, provider).allowed();
    }

    /**
     * Whether a bundle of {@code finder} may see a service registered by {@code registrant}
     * under {@code objectClasses}. Every name must be allowed and none denied: a service is as
     * visible as the least visible name it is registered under.
     */
    public boolean maySeeService(Zone finder, List<String> objectClasses, Origin registrant) {
        if (objectClasses.isEmpty()) {
            return false;
        }
        for (String name : objectClasses) {
            if (!decide(finder, Rule.Kind.SERVICE, name, registrant).allowed()) {
                return false;
            }
        }
        return true;
    }

    /** Whether a bundle of {@code finder} may see (find, hear events of) a bundle of {@code owner} named {@code symbolicName}. */
    public boolean maySeeBundle(Zone finder, String symbolicName, Origin owner) {
        return decide(finder, Rule.Kind.BUNDLE, symbolicName, owner).allowed();
    }

    /** The outcome for one name and the rule that decided it (empty when none matched: denied by default). */
    record Verdict(boolean allowed, Rule rule) {
        String reason() {
            if (rule == null) {
                return "no rule allows it";
            }
            return (rule.allow() ? "allowed" : "denied") + " by line " + rule.line() + " (" + rule + ")";
        }
    }

    Verdict decide(Zone zone, Rule.Kind kind, String name, Origin origin) {
        List<Rule> list = rules.get(zone);
        if (list == null || !accepted.contains(zone)) {
            return new Verdict(false, null);
        }
        Rule allowedBy = null;
        for (Rule r : list) {
            if (r.applies(kind, name, origin)) {
                if (!r.allow()) {
                    return new Verdict(false, r);
                }
                if (allowedBy == null) {
                    allowedBy = r;
                }
            }
        }
        return new Verdict(allowedBy != null, allowedBy);
    }

    @Override
    public String toString() {
        return "ZonePolicy[" + source + ", domain " + domain + ", accepts " + accepted + "]";
    }
}
