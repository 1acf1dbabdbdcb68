package org.voltkeep.launcher;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import org.voltkeep.image.BundleDomain;

/**
 * The Unix user each domain process runs as. On a device the safety domain and the
 * application domain each have a user of their own, so the kernel keeps them apart:
 * only the safety user may open the board's devices, and neither may write the
 * other's files ({@code runtime-config/README.md}). The launcher starts each domain
 * through {@code setpriv}, which switches to that user and its groups and leaves the
 * domain no capabilities and no way to gain any. Without it ({@link #SAME_AS_LAUNCHER})
 * the domains run as the launcher does, as on a desk.
 *
 * @param users the user and group of each domain; empty for {@link #SAME_AS_LAUNCHER}
 */
record DomainUsers(Map<BundleDomain, Account> users) {

    /** A user and the group it runs with (its own private group unless named). */
    record Account(String user, String group) {
    }

    /** The option of {@code voltkeep run} that sets them. */
    static final String OPTION = "domain-users";
    /** util-linux's setpriv: switches user and groups, clears capabilities, sets no_new_privs, then execs. */
    static final Path SETPRIV = Path.of("/usr/bin/setpriv");
    static final DomainUsers SAME_AS_LAUNCHER = new DomainUsers(Map.of());

    /** The user names useradd and systemd-sysusers accept. */
    private static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_-]{0,31}");

    DomainUsers {
        users = Map.copyOf(users);
    }

    /**
     * Parses {@code safety=USER[:GROUP],app=USER[:GROUP]} and checks that setpriv and
     * both accounts exist, so a wrong name stops the run before anything starts.
     */
    static DomainUsers parse(String spec) throws UsageException {
        return parse(spec, FileSystems.getDefault().getUserPrincipalLookupService(), SETPRIV);
    }

    static DomainUsers parse(String spec, UserPrincipalLookupService accounts, Path setpriv) throws UsageException {
        Map<BundleDomain, Account> users = new EnumMap<>(BundleDomain.class);
        for (String part : spec.split(",", -1)) {
            int eq = part.indexOf('=');
            if (eq <= 0) {
                throw usage("'" + part + "' is not DOMAIN=USER[:GROUP]");
            }
            BundleDomain domain;
            try {
                domain = BundleDomains.parse(part.substring(0, eq).trim());
            } catch (UsageException e) {
                throw usage(e.getMessage());
            }
            String who = part.substring(eq + 1).trim();
            int colon = who.indexOf(':');
            String user = colon < 0 ? who : who.substring(0, colon);
            String group = colon < 0 ? user : who.substring(colon + 1);
            for (String name : List.of(user, group)) {
                if (!NAME.matcher(name).matches()) {
                    throw usage("'" + name + "' (" + domain.id() + ") is not a user or group name");
                }
            }
            if (users.put(domain, new Account(user, group)) != null) {
                throw usage("the " + domain.id() + " domain is named twice");
            }
        }
        for (BundleDomain d : BundleDomain.values()) {
            if (!users.containsKey(d)) {
                throw usage("no user for the " + d.id() + " domain (give both: safety=USER,app=USER)");
            }
        }
        Account safety = users.get(BundleDomain.SAFETY);
        Account app = users.get(BundleDomain.APP);
        if (safety.user().equals(app.user())) {
            throw usage("safety and app run as the same user '" + safety.user() + "': the point is to keep them apart");
        }
        if (safety.group().equals(app.group())) {
            throw usage("safety and app share the primary group '" + safety.group() + "': files one makes would be the other's");
        }
        for (Map.Entry<BundleDomain, Account> e : users.entrySet()) {
            exists(accounts, e.getKey(), e.getValue());
        }
        if (!Files.isExecutable(setpriv)) {
            throw usage("switching users needs " + setpriv + " (Debian package util-linux), which is missing");
        }
        return new DomainUsers(users);
    }

    private static void exists(UserPrincipalLookupService accounts, BundleDomain domain, Account account) throws UsageException {
        try {
            accounts.lookupPrincipalByName(account.user());
        } catch (UserPrincipalNotFoundException e) {
            throw usage("no user '" + account.user() + "' for the " + domain.id()
                    + " domain on this system (runtime-config/install.sh creates voltkeep-safety and voltkeep-app)");
        } catch (IOException e) {
            throw usage("cannot look up user '" + account.user() + "': " + e.getMessage());
        }
        try {
            accounts.lookupPrincipalByGroupName(account.group());
        } catch (UserPrincipalNotFoundException e) {
            throw usage("no group '" + account.group() + "' for the " + domain.id() + " domain on this system");
        } catch (IOException e) {
            throw usage("cannot look up group '" + account.group() + "': " + e.getMessage());
        }
    }

    private static UsageException usage(String message) {
        return new UsageException("run: --" + OPTION + ": " + message);
    }

    Optional<Account> of(BundleDomain domain) {
        return Optional.ofNullable(users.get(domain));
    }

    /**
     * What goes before the domain's {@code java} command: nothing, or setpriv with the
     * domain's user, its group and the supplementary groups the system lists for that
     * user (the safety user's device group among them). Inheritable and ambient
     * capabilities are cleared and no_new_privs is set, so the domain's JVM starts with
     * no capability whatever the launcher holds, and cannot gain one through a
     * set-user-ID program or file capabilities. setpriv execs the JVM: the process the
     * launcher supervises and signals is the domain itself.
     */
    List<String> commandPrefix(BundleDomain domain) {
        Account a = users.get(domain);
        if (a == null) {
            return List.of();
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(SETPRIV.toString());
        cmd.add("--reuid=" + a.user());
        cmd.add("--regid=" + a.group());
        cmd.add("--init-groups");
        cmd.add("--inh-caps=-all");
        cmd.add("--ambient-caps=-all");
        cmd.add("--no-new-privs");
        cmd.add("--");
        return List.copyOf(cmd);
    }

    /** For the run's notices: "safety as voltkeep-safety, app as voltkeep-app", or that there is no switch. */
    String describe() {
        if (users.isEmpty()) {
            return "domains run as the launcher's user";
        }
        List<String> parts = new ArrayList<>();
        for (BundleDomain d : BundleDomain.values()) {
            Account a = users.get(d);
            parts.add(d.id() + " as " + a.user() + (a.group().equals(a.user()) ? "" : ":" + a.group()));
        }
        return String.join(", ", parts);
    }
}
