package org.voltkeep.launcher;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStoreException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import org.voltkeep.image.DevPki;
import org.voltkeep.image.ImageBuilder;
import org.voltkeep.image.ImageKeys;
import org.voltkeep.image.KeyStoreSigningKey;
import org.voltkeep.image.SigningKey;
import org.voltkeep.rot.api.RotException;
import org.voltkeep.rot.api.Zone;
import org.voltkeep.rot.pkcs11.Pkcs11Config;
import org.voltkeep.rot.pkcs11.Pkcs11KeyStore;

/**
 * Where {@code image build} and {@code image sign} get their keys: this build's
 * development PKI ({@code --dev}), a PKI directory laid out the same way
 * ({@code --keys DIR}), or keys kept in a PKCS#11 token ({@code --pkcs11-config FILE}, the
 * format {@code provision} reads, and one alias per role). Token keys are handles: every
 * signature is made inside the token.
 */
final class ImageKeyOptions {

    /** What the keys are for. */
    enum Use {
        /** bundles and (unless unsigned) the manifest */
        BUILD,
        /** the manifest of an existing image */
        SIGN
    }

    private enum Source {
        DEV,
        KEYS_DIR,
        TOKEN
    }

    /** The keys, loaded. Image signer empty: an unsigned build. */
    record Keys(Optional<SigningKey> imageSigner, Map<Zone, SigningKey> codeSigners, List<X509Certificate> anchors, String description) {

        /** A builder with these keys; an unsigned one without an image signer. */
        ImageBuilder builder() {
            return imageSigner.map(k -> new ImageBuilder(new ImageKeys(k, codeSigners, anchors)))
                    .orElseGet(() -> ImageBuilder.unsigned(codeSigners, anchors));
        }
    }

    private static final String IMAGE_KEY = "image-key";
    private static final String CERTS = "certs";
    private static final String ANCHORS = "anchors";
    private static final String PKCS11_CONFIG = "pkcs11-config";
    private static final String KEYS = "keys";
    private static final String DEV = "dev";
    private static final String UNSIGNED = "unsigned";

    private final String command;
    private final Use use;
    private final Source source;
    private final Optional<Path> keysDir;
    private final Optional<Path> pkcs11Config;
    private final Optional<String> imageAlias;
    private final Map<Zone, String> codeAliases;
    private final Optional<Path> certs;
    private final Optional<Path> anchors;
    private final boolean unsigned;

    private ImageKeyOptions(String command, Use use, Source source, Args a, boolean unsigned, Map<Zone, String> codeAliases) {
        this.command = command;
        this.use = use;
        this.source = source;
        this.keysDir = a.path(KEYS);
        this.pkcs11Config = a.path(PKCS11_CONFIG);
        this.imageAlias = a.value(IMAGE_KEY);
        this.codeAliases = codeAliases;
        this.certs = a.path(CERTS);
        this.anchors = a.path(ANCHORS);
        this.unsigned = unsigned;
    }

    /** The option of a zone's code signer in a token: {@code code-key-safety}, ... */
    static String codeKeyOption(Zone zone) {
        return "code-key-" + zone.id();
    }

    /** {@code own} plus the valued key options of {@code use}. */
    static Set<String> valued(Use use, String... own) {
        Set<String> all = new HashSet<>(Set.of(own));
        all.addAll(Set.of(KEYS, PKCS11_CONFIG, IMAGE_KEY, CERTS, ANCHORS));
        if (use == Use.BUILD) {
            for (Zone z : Zone.values()) {
                all.add(codeKeyOption(z));
            }
        }
        return Set.copyOf(all);
    }

    /** {@code own} plus the key flags of {@code use}. */
    static Set<String> flags(Use use, String... own) {
        Set<String> all = new HashSet<>(Set.of(own));
        all.add(DEV);
        if (use == Use.BUILD) {
            all.add(UNSIGNED);
        }
        return Set.copyOf(all);
    }

    /** Checks the key options of a parsed command line; loads nothing. */
    static ImageKeyOptions parse(String command, Args a, Use use) throws UsageException {
        int sources = (a.flag(DEV) ? 1 : 0) + (a.value(KEYS).isPresent() ? 1 : 0) + (a.value(PKCS11_CONFIG).isPresent() ? 1 : 0);
        if (sources != 1) {
            throw new UsageException(command + ": give exactly one of --dev, --keys DIR or --pkcs11-config FILE");
        }
        Source source = a.flag(DEV) ? Source.DEV : a.value(KEYS).isPresent() ? Source.KEYS_DIR : Source.TOKEN;
        boolean unsigned = use == Use.BUILD && a.flag(UNSIGNED);
        Map<Zone, String> code = new EnumMap<>(Zone.class);
        if (use == Use.BUILD) {
            for (Zone z : Zone.values()) {
                a.value(codeKeyOption(z)).ifPresent(alias -> code.put(z, alias));
            }
        }
        List<String> tokenOnly = new ArrayList<>();
        for (String o : new TreeSet<>(valued(use))) {
            if ((o.equals(IMAGE_KEY) || o.equals(CERTS) || o.startsWith("code-key-")) && a.value(o).isPresent()) {
                tokenOnly.add("--" + o);
            }
        }
        if (source != Source.TOKEN) {
            if (!tokenOnly.isEmpty()) {
                throw new UsageException(command + ": " + String.join(", ", tokenOnly) + (tokenOnly.size() == 1 ? " belongs" : " belong")
                        + " to keys in a token: use with --pkcs11-config FILE, not with --dev or --keys");
            }
            return new ImageKeyOptions(command, use, source, a, unsigned, code);
        }
        if (use == Use.BUILD && unsigned && a.value(IMAGE_KEY).isPresent()) {
            throw new UsageException(command + ": --unsigned leaves the manifest unsigned; drop --image-key or --unsigned");
        }
        if (!unsigned && a.value(IMAGE_KEY).isEmpty()) {
            throw new UsageException(command + ": --image-key ALIAS (the token's image signer) is required"
                    + (use == Use.BUILD ? ", or --unsigned to leave the manifest for 'image sign'" : ""));
        }
        if (use == Use.BUILD && code.isEmpty()) {
            throw new UsageException(command + ": give the token's code signers: --code-key-safety, --code-key-core, --code-key-network ALIAS");
        }
        if (use == Use.BUILD && a.value(ANCHORS).isEmpty()) {
            throw new UsageException(command + ": --anchors FILE is required with token keys: the roots the keys chain to"
                    + " (bundles already signed for their zone are kept, and the image is verified before it is written)");
        }
        return new ImageKeyOptions(command, use, source, a, unsigned, code);
    }

    /** Whether a development PKI of this build is needed (then the installation must be located). */
    boolean needsInstallation() {
        return source == Source.DEV;
    }

    /** Whether the manifest is left unsigned. */
    boolean unsigned() {
        return unsigned;
    }

    /**
     * Loads the keys. Failures name the file, token or alias that is wrong (never a PIN or a
     * password).
     *
     * @param devPki where this build's development PKI is (used with {@code --dev} only)
     */
    Keys load(Path devPki) throws IOException, GeneralSecurityException {
        Optional<List<X509Certificate>> given = anchors.isPresent() ? Optional.of(readCertificates(anchors.get(), "--anchors")) : Optional.empty();
        if (source != Source.TOKEN) {
            Path dir = source == Source.DEV ? devPki : keysDir.orElseThrow();
            DevPki pki = source == Source.DEV ? DevPki.openOrGenerate(dir, Clock.systemUTC()) : DevPki.open(dir);
            Map<Zone, SigningKey> code = use == Use.BUILD ? pki.imageKeys().codeSigners() : Map.of();
            Optional<SigningKey> image = unsigned ? Optional.empty() : Optional.of(pki.imageSigner());
            String what = source == Source.DEV ? "the development PKI in " + dir : "the PKI in " + dir;
            return new Keys(image, code, given.orElse(pki.anchors()), what);
        }
        Pkcs11KeyStore token;
        try {
            token = Pkcs11KeyStore.open(Pkcs11Config.load(pkcs11Config.orElseThrow()));
        } catch (RotException e) {
            throw new GeneralSecurityException(e.getMessage(), e);
        }
        Optional<List<X509Certificate>> chains = certs.isPresent() ? Optional.of(readCertificates(certs.get(), "--certs")) : Optional.empty();
        Optional<SigningKey> image = Optional.empty();
        if (imageAlias.isPresent()) {
            image = Optional.of(tokenKey(token, imageAlias.get(), chains));
        }
        Map<Zone, SigningKey> code = new EnumMap<>(Zone.class);
        for (Map.Entry<Zone, String> e : codeAliases.entrySet()) {
            code.put(e.getKey(), tokenKey(token, e.getValue(), chains));
        }
        List<String> aliases = new ArrayList<>();
        imageAlias.ifPresent(aliases::add);
        aliases.addAll(codeAliases.values());
        return new Keys(image, code, given.orElse(List.of()), (aliases.size() == 1 ? "key " : "keys ")
                + String.join(", ", new TreeSet<>(aliases)) + " in the " + token.description());
    }

    private SigningKey tokenKey(Pkcs11KeyStore token, String alias, Optional<List<X509Certificate>> chains) throws GeneralSecurityException {
        if (!token.keyStore().isKeyEntry(alias)) {
            throw new GeneralSecurityException("the " + token.description() + " has no key '" + alias + "' (keys with a certificate on it: "
                    + keyAliases(token) + ")");
        }
        KeyStoreSigningKey k = KeyStoreSigningKey.fromKeyStore(token.keyStore(), null, alias, "token key '" + alias + "'", token.provider());
        return chains.isPresent() ? k.withChainFrom(chains.get(), certs.orElseThrow().toString()) : k;
    }

    private static List<String> keyAliases(Pkcs11KeyStore token) throws KeyStoreException {
        List<String> keys = new ArrayList<>();
        for (String a : Collections.list(token.keyStore().aliases())) {
            if (token.keyStore().isKeyEntry(a)) {
                keys.add(a);
            }
        }
        Collections.sort(keys);
        return keys;
    }

    private List<X509Certificate> readCertificates(Path file, String option) throws GeneralSecurityException {
        try {
            return DevPki.readCertificates(file);
        } catch (IOException | GeneralSecurityException e) {
            throw new GeneralSecurityException(command + ": cannot read the certificates of " + option + " " + file + ": " + e.getMessage(), e);
        }
    }
}
