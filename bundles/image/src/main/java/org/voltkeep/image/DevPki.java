package org.voltkeep.image;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.voltkeep.rot.api.SignerRole;
import org.voltkeep.rot.api.Zone;

/**
 * A development PKI in a directory: a root CA, a signing CA under it, an image signer,
 * a code signer per zone and a developer key, all EC P-256, valid from a day ago to two
 * years on. Keys live in {@value #KEYSTORE_FILE} (PKCS#12) whose random password is in
 * {@value #PASSWORD_FILE}; the root is in {@value #ANCHORS_FILE} for devices to trust.
 * Generated at build or test time under {@code target/} or a temporary directory: no key of
 * it is ever committed, and no field device should trust its root.
 *
 * <p>{@link #issue} and {@link #issueUntrusted} make further signers (broken ones for tests:
 * expired, not yet valid, wrong role, missing key usage, under a root nobody trusts).
 */
public final class DevPki {
    public static final String KEYSTORE_FILE = "dev-pki.p12";
    public static final String PASSWORD_FILE = "dev-pki.p12.password";
    public static final String ANCHORS_FILE = "anchors.pem";
    public static final String ROOT_ALIAS = "root-ca";
    public static final String CA_ALIAS = "signing-ca";
    public static final String IMAGE_SIGNER_ALIAS = "image-signer";
    public static final String DEVELOPER_ALIAS = "developer";

    private static final String ORG = "OU=Voltkeep development PKI,O=Voltkeep";

    private final Path dir;
    private final char[] password;
    private final KeyStore keyStore;
    private final SecureRandom random;

    private DevPki(Path dir, char[] password, KeyStore keyStore, SecureRandom random) {
        this.dir = dir;
        this.password = password;
        this.keyStore = keyStore;
        this.random = random;
    }

    /** The key store alias of a zone's code signer ({@code code-safety}, ...). */
    public static String codeSignerAlias(Zone zone) {
        return "code-" + zone.id();
    }

    /** Generates a new PKI in {@code dir}; refuses if one is already there. */
    public static DevPki generate(Path dir, Clock clock) throws IOException, GeneralSecurityException {
        Files.createDirectories(dir);
        if (Files.exists(dir.resolve(KEYSTORE_FILE))) {
            throw new FileAlreadyExistsException(dir.resolve(KEYSTORE_FILE).toString(), null, "a development PKI is already there");
        }
        SecureRandom random = new SecureRandom();
        byte[] pw = new byte[18];
        random.nextBytes(pw);
        char[] password = Base64.getUrlEncoder().withoutPadding().encodeToString(pw).toCharArray();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, password);
        DevPki pki = new DevPki(dir, password, ks, random);

        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Instant from = now.minus(SignerProfile.BACKDATE);
        Instant until = now.plus(SignerProfile.LIFETIME);
        KeyPair rootKeys = pki.newKeyPair();
        X509Certificate root = pki.caCertificate("Voltkeep Development Root CA", rootKeys, null, null, 1, from, until);
        ks.setKeyEntry(ROOT_ALIAS, rootKeys.getPrivate(), password, new Certificate[] {root});
        KeyPair caKeys = pki.newKeyPair();
        X509Certificate ca = pki.caCertificate("Voltkeep Development Signing CA", caKeys, root, rootKeys.getPrivate(), 0, from, until);
        ks.setKeyEntry(CA_ALIAS, caKeys.getPrivate(), password, new Certificate[] {ca, root});

        pki.issueAndStore(IMAGE_SIGNER_ALIAS, SignerProfile.imageSigner(clock), ca, caKeys.getPrivate(), List.of(ca, root));
        for (Zone z : Zone.values()) {
            pki.issueAndStore(codeSignerAlias(z), SignerProfile.codeSigner(z, clock), ca, caKeys.getPrivate(), List.of(ca, root));
        }
        pki.issueAndStore(DEVELOPER_ALIAS, SignerProfile.developer(clock), ca, caKeys.getPrivate(), List.of(ca, root));

        writePrivate(dir.resolve(PASSWORD_FILE), (new String(password) + "\n").getBytes(StandardCharsets.US_ASCII));
        pki.save();
        Files.write(dir.resolve(ANCHORS_FILE), toPem(List.of(root)).getBytes(StandardCharsets.US_ASCII));
        return pki;
    }

    /** Opens the PKI in {@code dir}. */
    public static DevPki open(Path dir) throws IOException, GeneralSecurityException {
        char[] password = Files.readString(dir.resolve(PASSWORD_FILE), StandardCharsets.US_ASCII).strip().toCharArray();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(dir.resolve(KEYSTORE_FILE))) {
            ks.load(in, password);
        }
        return new DevPki(dir, password, ks, new SecureRandom());
    }

    /** Opens the PKI in {@code dir}, generating it first if there is none. */
    public static DevPki openOrGenerate(Path dir, Clock clock) throws IOException, GeneralSecurityException {
        return Files.exists(dir.resolve(KEYSTORE_FILE)) ? open(dir) : generate(dir, clock);
    }

    public Path dir() {
        return dir;
    }

    public Path keyStoreFile() {
        return dir.resolve(KEYSTORE_FILE);
    }

    /** The key store password (a copy); it is also in {@value #PASSWORD_FILE}. */
    public char[] password() {
        return password.clone();
    }

    /** The root certificates' PEM file, what a device is provisioned with. */
    public Path anchorsFile() {
        return dir.resolve(ANCHORS_FILE);
    }

    public X509Certificate root() throws GeneralSecurityException {
        return (X509Certificate) keyStore.getCertificate(ROOT_ALIAS);
    }

    /** The trust anchors of this PKI (its root). */
    public List<X509Certificate> anchors() throws GeneralSecurityException {
        return List.of(root());
    }

    /** The signing key stored under {@code alias}. */
    public SigningKey key(String alias) throws GeneralSecurityException {
        return KeyStoreSigningKey.fromKeyStore(keyStore, password, alias, KEYSTORE_FILE + "#" + alias, null);
    }

    public SigningKey imageSigner() throws GeneralSecurityException {
        return key(IMAGE_SIGNER_ALIAS);
    }

    public SigningKey codeSigner(Zone zone) throws GeneralSecurityException {
        return key(codeSignerAlias(zone));
    }

    public SigningKey developer() throws GeneralSecurityException {
        return key(DEVELOPER_ALIAS);
    }

    /** Image signer plus the code signer of every zone, with this PKI's root as anchor. */
    public ImageKeys imageKeys() throws GeneralSecurityException {
        Map<Zone, SigningKey> code = new EnumMap<>(Zone.class);
        for (Zone z : Zone.values()) {
            code.put(z, codeSigner(z));
        }
        return new ImageKeys(imageSigner(), code, anchors());
    }

    /** The developer key for everything (images it signs boot only in development trust). */
    public ImageKeys developerKeys() throws GeneralSecurityException {
        return ImageKeys.developer(developer(), anchors());
    }

    /** Issues a signer under this PKI's signing CA, stores it under {@code alias} and saves the key store. */
    public SigningKey issue(String alias, SignerProfile profile) throws IOException, GeneralSecurityException {
        PrivateKey caKey = (PrivateKey) keyStore.getKey(CA_ALIAS, password);
        X509Certificate ca = (X509Certificate) keyStore.getCertificate(CA_ALIAS);
        issueAndStore(alias, profile, ca, caKey, List.of(ca, root()));
        save();
        return key(alias);
    }

    /**
     * Issues a signer under a fresh root that is not among this PKI's anchors (a signer no
     * device trusts), stores it under {@code alias} with that root in its chain, and saves.
     */
    public SigningKey issueUntrusted(String alias, SignerProfile profile) throws IOException, GeneralSecurityException {
        KeyPair rootKeys = newKeyPair();
        X509Certificate otherRoot = caCertificate("Untrusted Root for " + alias, rootKeys, null, null, 0,
                profile.notBefore(), profile.notAfter());
        issueAndStore(alias, profile, otherRoot, rootKeys.getPrivate(), List.of(otherRoot));
        save();
        return key(alias);
    }

    /**
     * Issues a certificate under this PKI's signing CA for a key made elsewhere (a key that
     * never leaves a PKCS#11 token, the key of a CSR).
     *
     * @return the chain, the new certificate first and the root last (as a key store entry wants it)
     */
    public List<X509Certificate> certify(PublicKey key, SignerProfile profile) throws GeneralSecurityException {
        PrivateKey caKey = (PrivateKey) keyStore.getKey(CA_ALIAS, password);
        X509Certificate ca = (X509Certificate) keyStore.getCertificate(CA_ALIAS);
        return List.of(leafCertificate(profile, key, ca, caKey), ca, root());
    }

    /** Certificates as PEM text. */
    public static String toPem(List<X509Certificate> certs) throws GeneralSecurityException {
        StringBuilder sb = new StringBuilder();
        Base64.Encoder enc = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));
        for (X509Certificate c : certs) {
            sb.append("-----BEGIN CERTIFICATE-----\n").append(enc.encodeToString(c.getEncoded())).append("\n-----END CERTIFICATE-----\n");
        }
        return sb.toString();
    }

    /** Reads every certificate of a PEM (or DER) file. */
    public static List<X509Certificate> readCertificates(Path file) throws IOException, GeneralSecurityException {
        byte[] bytes = Files.readAllBytes(file);
        List<X509Certificate> out = new ArrayList<>();
        for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(bytes))) {
            out.add((X509Certificate) c);
        }
        if (out.isEmpty()) {
            throw new GeneralSecurityException(file + " holds no certificate");
        }
        return out;
    }

    private void issueAndStore(String alias, SignerProfile profile, X509Certificate issuer, PrivateKey issuerKey,
            List<X509Certificate> issuerChain) throws GeneralSecurityException {
        KeyPair keys = newKeyPair();
        X509Certificate cert = leafCertificate(profile, keys.getPublic(), issuer, issuerKey);
        Certificate[] chain = new Certificate[1 + issuerChain.size()];
        chain[0] = cert;
        for (int i = 0; i < issuerChain.size(); i++) {
            chain[i + 1] = issuerChain.get(i);
        }
        keyStore.setKeyEntry(alias, keys.getPrivate(), password, chain);
    }

    private KeyPair newKeyPair() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"), random);
        return g.generateKeyPair();
    }

    private X509Certificate caCertificate(String cn, KeyPair keys, X509Certificate issuer, PrivateKey issuerKey, int pathLen,
            Instant from, Instant until) throws GeneralSecurityException {
        X500Name subject = new X500Name("CN=" + cn + "," + ORG);
        try {
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder b = issuer == null
                    ? new JcaX509v3CertificateBuilder(subject, serial(), Date.from(from), Date.from(until), subject, keys.getPublic())
                    : new JcaX509v3CertificateBuilder(issuer, serial(), Date.from(from), Date.from(until), subject, keys.getPublic());
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(pathLen));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(keys.getPublic()));
            b.addExtension(Extension.authorityKeyIdentifier, false, issuer == null
                    ? ext.createAuthorityKeyIdentifier(keys.getPublic())
                    : ext.createAuthorityKeyIdentifier(issuer));
            return sign(b, issuer == null ? keys.getPrivate() : issuerKey);
        } catch (CertIOException e) {
            throw new GeneralSecurityException("cannot build certificate " + cn + ": " + e.getMessage(), e);
        }
    }

    private X509Certificate leafCertificate(SignerProfile p, PublicKey key, X509Certificate issuer, PrivateKey issuerKey)
            throws GeneralSecurityException {
        X500Name subject = new X500Name("CN=" + p.commonName() + "," + ORG);
        try {
            JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer, serial(), Date.from(p.notBefore()),
                    Date.from(p.notAfter()), subject, key);
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(p.digitalSignatureUsage() ? KeyUsage.digitalSignature : KeyUsage.keyAgreement));
            List<KeyPurposeId> purposes = new ArrayList<>();
            for (SignerRole r : p.roles()) {
                purposes.add(KeyPurposeId.getInstance(new ASN1ObjectIdentifier(r.oid())));
            }
            if (p.codeSigningUsage()) {
                purposes.add(KeyPurposeId.id_kp_codeSigning);
            }
            if (!purposes.isEmpty()) {
                b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purposes.toArray(new KeyPurposeId[0])));
            }
            b.addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(key));
            b.addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(issuer));
            return sign(b, issuerKey);
        } catch (CertIOException e) {
            throw new GeneralSecurityException("cannot build certificate " + p.commonName() + ": " + e.getMessage(), e);
        }
    }

    private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey key) throws GeneralSecurityException {
        try {
            return new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(key)));
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException("cannot sign a certificate: " + e.getMessage(), e);
        }
    }

    private BigInteger serial() {
        return new BigInteger(127, random).add(BigInteger.ONE);
    }

    private void save() throws IOException, GeneralSecurityException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        keyStore.store(out, password);
        writePrivate(keyStoreFile(), out.toByteArray());
    }

    /** Writes a file only its owner can read, by a new file and a rename. */
    private static void writePrivate(Path file, byte[] bytes) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } else {
            Files.createFile(tmp);
        }
        Files.write(tmp, bytes);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
