package org.voltkeep.image.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSigner;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.SignerInformation;
import org.voltkeep.image.ImageRejected;
import org.voltkeep.image.ImageRejected.Reason;
import org.voltkeep.image.VerifyPolicy;
import org.voltkeep.rot.api.SignerRole;
import org.voltkeep.rot.api.TrustMode;
import org.voltkeep.rot.api.Zone;

/**
 * Verifies one bundle as a signed JAR, completely: every entry is read through
 * {@link JarFile} with verification on (so every entry's digest is checked, not just the
 * signature over the {@code .SF} file), every entry apart from the manifest and the
 * signature files must be signed, all by one common signer, whose chain leads to a trust
 * anchor and whose role allows the bundle's zone. Signature files must come in
 * {@code .SF}/block pairs and each pair must sign the entries: anything else in
 * {@code META-INF} is an unsigned extra.
 */
public final class SignedJarCheck {

    /** What a verified bundle declares and who signed it. */
    public record Result(String symbolicName, String version, X509Certificate signer, SignerRole role) {
    }

    private SignedJarCheck() {
    }

    /**
     * @param entry   the bundle's entry name in the image, for messages
     * @param scratch a private directory for the temporary copy {@link JarFile} needs
     */
    public static Result check(String entry, byte[] jar, Zone zone, VerifyPolicy policy, Path scratch) throws ImageRejected {
        VerifyPolicy.Limits limits = policy.limits();
        ZipArchive zip;
        try {
            zip = ZipArchive.parse(jar, ZipArchive.Profile.JAR, limits.maxEntryBytes(), limits.maxBundleEntries(), limits.maxImageBytes());
        } catch (ZipArchive.Problem p) {
            String where = p.entry() == null ? entry : entry + "!/" + p.entry();
            Reason r = switch (p.kind()) {
                case SIZE -> Reason.SIZE_LIMIT;
                case NAME -> Reason.ENTRY_NAME;
                case DUPLICATE -> Reason.DUPLICATE_ENTRY;
                case MALFORMED -> Reason.BUNDLE_MALFORMED;
            };
            throw new ImageRejected(r, where, p.getMessage());
        }
        Set<String> blocks = new HashSet<>();
        Set<String> sigFiles = new HashSet<>();
        for (ZipArchive.Entry e : zip.entries()) {
            String u = e.name().toUpperCase(Locale.ROOT);
            if (u.startsWith("META-INF/") && u.indexOf('/', 9) < 0) {
                String base = u.substring(9);
                if (base.startsWith("SIG-")) {
                    throw new ImageRejected(Reason.BUNDLE_UNSIGNED, entry + "!/" + e.name(), "signature files of this kind are not supported");
                }
                int dot = base.lastIndexOf('.');
                String ext = dot < 0 ? "" : base.substring(dot + 1);
                switch (ext) {
                    case "SF" -> sigFiles.add(base.substring(0, dot));
                    case "RSA", "DSA", "EC" -> {
                        if (!blocks.add(base.substring(0, dot))) {
                            throw new ImageRejected(Reason.BUNDLE_UNSIGNED, entry + "!/" + e.name(), "a second signature block for one signer");
                        }
                    }
                    default -> {
                        // an ordinary META-INF file: it must be signed like any other
                    }
                }
            }
        }
        if (!sigFiles.equals(blocks)) {
            throw new ImageRejected(Reason.BUNDLE_UNSIGNED, entry, "signature files without their pair: " + unpaired(sigFiles, blocks));
        }
        if (sigFiles.isEmpty()) {
            throw new ImageRejected(Reason.BUNDLE_UNSIGNED, entry, "the JAR is not signed");
        }

        Path tmp = null;
        try {
            tmp = Files.createTempFile(scratch, "bundle-", ".jar");
            Files.write(tmp, jar);
            return verifyEntries(entry, tmp, zip, zone, policy, sigFiles.size());
        } catch (IOException e) {
            throw new ImageRejected(Reason.IO_ERROR, entry, "cannot stage the bundle for verification: " + e.getMessage(), e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException e) {
                    // the scratch directory is removed as a whole afterwards
                }
            }
        }
    }

    private static Result verifyEntries(String entry, Path file, ZipArchive zip, Zone zone, VerifyPolicy policy, int signatureCount)
            throws ImageRejected, IOException {
        VerifyPolicy.Limits limits = policy.limits();
        String current = null;
        try (JarFile jf = new JarFile(file.toFile(), true)) {
            Set<CodeSigner> common = null;
            Set<CodeSigner> union = new LinkedHashSet<>();
            byte[] buf = new byte[16384];
            long totalRead = 0;
            for (ZipArchive.Entry ze : zip.entries()) {
                current = ze.name();
                JarEntry je = jf.getJarEntry(ze.name());
                if (je == null) {
                    throw new ImageRejected(Reason.BUNDLE_MALFORMED, entry + "!/" + ze.name(), "entry not found by the JAR reader");
                }
                if (ze.isDirectory()) {
                    if (ze.size() != 0) {
                        throw new ImageRejected(Reason.BUNDLE_MALFORMED, entry + "!/" + ze.name(), "directory entry with content");
                    }
                    continue;
                }
                long n = 0;
                try (InputStream in = jf.getInputStream(je)) {
                    int r;
                    while ((r = in.read(buf)) > 0) {
                        n += r;
                        totalRead += r;
                        if (n > limits.maxEntryBytes() || n > ze.size()) {
                            throw new ImageRejected(Reason.SIZE_LIMIT, entry + "!/" + ze.name(), "inflates beyond its declared "
                                    + ze.size() + " bytes");
                        }
                        if (totalRead > limits.maxImageBytes()) {
                            throw new ImageRejected(Reason.SIZE_LIMIT, entry, "inflates to more than " + limits.maxImageBytes() + " bytes");
                        }
                    }
                }
                if (n != ze.size()) {
                    throw new ImageRejected(Reason.BUNDLE_MALFORMED, entry + "!/" + ze.name(), "holds " + n + " bytes, declared " + ze.size());
                }
                if (isSignatureRelated(ze.name())) {
                    continue;
                }
                CodeSigner[] signers = je.getCodeSigners();
                if (signers == null || signers.length == 0) {
                    if (union.isEmpty()) {
                        explainIgnoredSigners(entry, zip, zone, policy);
                    }
                    throw new ImageRejected(Reason.BUNDLE_UNSIGNED, entry + "!/" + ze.name(), "entry is not signed");
                }
                Set<CodeSigner> these = new HashSet<>(List.of(signers));
                union.addAll(these);
                if (common == null) {
                    common = new LinkedHashSet<>(List.of(signers));
                } else {
                    common.retainAll(these);
                }
            }
            current = null;
            if (common == null) {
                throw new ImageRejected(Reason.BUNDLE_UNSIGNED, entry, "the JAR has no signed content");
            }
            if (common.isEmpty()) {
                throw new ImageRejected(Reason.BUNDLE_SIGNERS_DIFFER, entry, "no signer signs every entry (" + union.size() + " signers)");
            }
            if (union.size() != signatureCount) {
                throw new ImageRejected(Reason.BUNDLE_UNSIGNED, entry, signatureCount + " signatures but " + union.size()
                        + " distinct signers of entries: a signature signs nothing, or repeats another");
            }
            X509Certificate signer = null;
            SignerRole role = null;
            ImageRejected firstFailure = null;
            for (CodeSigner cs : common) {
                List<X509Certificate> certs = new ArrayList<>();
                for (Certificate c : cs.getSignerCertPath().getCertificates()) {
                    certs.add((X509Certificate) c);
                }
                try {
                    CertChecks.validate(certs.get(0), certs, policy.anchors(), policy.clock().instant(), entry);
                    role = CertChecks.codeSignerRole(certs.get(0), zone, policy.trustMode(), entry);
                    signer = certs.get(0);
                    break;
                } catch (ImageRejected r) {
                    if (firstFailure == null) {
                        firstFailure = r;
                    }
                }
            }
            if (signer == null) {
                throw firstFailure;
            }
            Manifest mf = jf.getManifest();
            if (mf == null) {
                throw new ImageRejected(Reason.BUNDLE_MALFORMED, entry, "no META-INF/MANIFEST.MF");
            }
            Attributes main = mf.getMainAttributes();
            String bsn = main.getValue("Bundle-SymbolicName");
            String version = main.getValue("Bundle-Version");
            if (bsn == null || bsn.isBlank()) {
                throw new ImageRejected(Reason.BUNDLE_IDENTITY, entry, "no Bundle-SymbolicName in META-INF/MANIFEST.MF");
            }
            int semi = bsn.indexOf(';');
            bsn = (semi >= 0 ? bsn.substring(0, semi) : bsn).trim();
            return new Result(bsn, version == null ? null : version.trim(), signer, role);
        } catch (SecurityException e) {
            String msg = String.valueOf(e.getMessage());
            String where = current == null ? entry : entry + "!/" + current;
            if (msg.contains("digest error for ")) {
                String name = msg.substring(msg.indexOf("digest error for ") + "digest error for ".length()).trim();
                throw new ImageRejected(Reason.BUNDLE_TAMPERED, entry + "!/" + name, "does not match its signed digest (" + msg + ")", e);
            }
            throw new ImageRejected(Reason.BUNDLE_SIGNATURE_INVALID, where, msg, e);
        } catch (IOException | RuntimeException e) {
            String where = current == null ? entry : entry + "!/" + current;
            throw new ImageRejected(Reason.BUNDLE_MALFORMED, where, "unreadable: " + e, e);
        }
    }

    /**
     * The JDK drops a signer whose certificate does not allow digital signatures, so its
     * entries look unsigned. Say why, from the signature blocks themselves.
     */
    private static void explainIgnoredSigners(String entry, ZipArchive zip, Zone zone, VerifyPolicy policy) throws ImageRejected {
        for (ZipArchive.Entry e : zip.entries()) {
            String u = e.name().toUpperCase(Locale.ROOT);
            if (!isSignatureRelated(e.name()) || u.endsWith(".SF") || u.endsWith("/MANIFEST.MF")) {
                continue;
            }
            X509Certificate signer;
            try {
                CMSSignedData block = new CMSSignedData(zip.read(e));
                SignerInformation si = block.getSignerInfos().getSigners().iterator().next();
                @SuppressWarnings("unchecked")
                Collection<X509CertificateHolder> match = block.getCertificates().getMatches(si.getSID());
                if (match.size() != 1) {
                    continue;
                }
                signer = new JcaX509CertificateConverter().getCertificate(match.iterator().next());
            } catch (ZipArchive.Problem | CMSException | CertificateException | RuntimeException ex) {
                continue;
            }
            try {
                CertChecks.codeSignerRole(signer, zone, policy.trustMode(), entry);
            } catch (ImageRejected r) {
                if (r.reason() == Reason.CERT_KEY_USAGE) {
                    throw new ImageRejected(Reason.CERT_KEY_USAGE, entry, r.detail() + ", so its signature (" + e.name()
                            + ") does not count");
                }
            }
        }
    }

    /** Manifest and signature files directly in META-INF: the JDK does not sign these, it checks them. */
    static boolean isSignatureRelated(String name) {
        String u = name.toUpperCase(Locale.ROOT);
        if (!u.startsWith("META-INF/") || u.indexOf('/', 9) >= 0) {
            return false;
        }
        return u.equals("META-INF/MANIFEST.MF") || u.endsWith(".SF") || u.endsWith(".RSA") || u.endsWith(".DSA") || u.endsWith(".EC");
    }

    private static Set<String> unpaired(Set<String> a, Set<String> b) {
        Set<String> odd = new java.util.TreeSet<>();
        a.stream().filter(x -> !b.contains(x)).forEach(odd::add);
        b.stream().filter(x -> !a.contains(x)).forEach(odd::add);
        return odd;
    }
}
