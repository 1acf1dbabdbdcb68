package org.voltkeep.image.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.cert.CertPath;
import java.security.cert.CertificateFactory;
import java.util.zip.ZipFile;
import jdk.security.jarsigner.JarSigner;
import jdk.security.jarsigner.JarSignerException;
import org.voltkeep.image.SigningKey;

/**
 * Signs a JAR as a standard signed JAR, with the JDK's own JAR signing API (the engine
 * behind the {@code jarsigner} tool, so {@code jarsigner -verify} accepts the result).
 * Works with token keys: the signature is made by the key's provider. A JAR already
 * signed by someone else keeps that signature and gets ours next to it.
 */
public final class JarSigning {
    private JarSigning() {
    }

    /**
     * @param signerName base name of the signature files ({@code META-INF/<name>.SF}), 1 to 8 of A-Z 0-9 _ -
     * @param workDir    where the unsigned JAR is put for the JDK's ZIP reader
     */
    public static byte[] sign(byte[] jar, SigningKey key, String signerName, Path workDir) throws IOException, GeneralSecurityException {
        CertPath path = CertificateFactory.getInstance("X.509").generateCertPath(key.chain());
        JarSigner.Builder b = new JarSigner.Builder(key.privateKey(), path)
                .digestAlgorithm("SHA-256")
                .signerName(signerName);
        String alg = JcaNames.signatureAlgorithm(key.privateKey());
        if (key.provider().isPresent()) {
            b.signatureAlgorithm(alg, key.provider().get());
        } else {
            b.signatureAlgorithm(alg);
        }
        JarSigner signer = b.build();
        Path tmp = Files.createTempFile(workDir, "unsigned-", ".jar");
        try {
            Files.write(tmp, jar);
            ByteArrayOutputStream out = new ByteArrayOutputStream(jar.length + 4096);
            try (ZipFile zf = new ZipFile(tmp.toFile())) {
                signer.sign(zf, out);
            } catch (JarSignerException e) {
                throw new GeneralSecurityException("signing with '" + key.describe() + "' failed: " + e.getMessage(), e);
            }
            return out.toByteArray();
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
