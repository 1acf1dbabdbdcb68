package org.voltkeep.update.agent.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The TLS trust of the https downloads: the JDK's default anchors, plus the anchors
 * of an optional PEM file. A server chain is accepted when either set accepts it;
 * host names are checked by the HTTP client as usual (these are extended trust
 * managers, so the endpoint identification runs).
 */
final class TrustAnchors {
    private TrustAnchors() {
    }

    static SSLContext context(Optional<Path> extraPem) throws IOException {
        try {
            List<X509ExtendedTrustManager> managers = new ArrayList<>();
            managers.add(managerFor(null));
            if (extraPem.isPresent()) {
                managers.add(managerFor(keyStoreOf(extraPem.get())));
            }
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[] {managers.size() == 1 ? managers.get(0) : new AnyOf(managers)}, null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot set up TLS trust: " + e.getMessage(), e);
        }
    }

    static KeyStore keyStoreOf(Path pem) throws IOException, GeneralSecurityException {
        Collection<? extends Certificate> certs;
        try (InputStream in = Files.newInputStream(pem)) {
            certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
        } catch (CertificateException e) {
            throw new IOException("trust anchors " + pem + " are not PEM certificates: " + e.getMessage(), e);
        }
        if (certs.isEmpty()) {
            throw new IOException("trust anchors " + pem + " hold no certificate");
        }
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        int i = 0;
        for (Certificate c : certs) {
            ks.setCertificateEntry("anchor-" + i++, c);
        }
        return ks;
    }

    private static X509ExtendedTrustManager managerFor(KeyStore ks) throws GeneralSecurityException {
        TrustManagerFactory f = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        f.init(ks);
        for (TrustManager m : f.getTrustManagers()) {
            if (m instanceof X509ExtendedTrustManager x) {
                return x;
            }
        }
        throw new GeneralSecurityException("no X.509 trust manager in " + f.getAlgorithm());
    }

    /** Accepts a server chain when any of its managers does; the first manager's refusal is reported. */
    private static final class AnyOf extends X509ExtendedTrustManager {
        private final List<X509ExtendedTrustManager> managers;

        AnyOf(List<X509ExtendedTrustManager> managers) {
            this.managers = List.copyOf(managers);
        }

        private interface Check {
            void run(X509ExtendedTrustManager m) throws CertificateException;
        }

        private void any(Check check) throws CertificateException {
            CertificateException first = null;
            for (X509ExtendedTrustManager m : managers) {
                try {
                    check.run(m);
                    return;
                } catch (CertificateException e) {
                    if (first == null) {
                        first = e;
                    }
                }
            }
            throw first;
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            any(m -> m.checkServerTrusted(chain, authType));
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            any(m -> m.checkServerTrusted(chain, authType, socket));
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            any(m -> m.checkServerTrusted(chain, authType, engine));
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("this trust manager only checks servers");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            throw new CertificateException("this trust manager only checks servers");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            throw new CertificateException("this trust manager only checks servers");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            List<X509Certificate> all = new ArrayList<>();
            for (X509ExtendedTrustManager m : managers) {
                all.addAll(List.of(m.getAcceptedIssuers()));
            }
            return all.toArray(new X509Certificate[0]);
        }
    }
}
