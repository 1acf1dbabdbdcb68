package org.voltkeep.rot.api.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509KeyManager;
import org.voltkeep.rot.api.RotException;
import org.voltkeep.rot.api.spi.DeviceKeyManagers;

/**
 * One real mutual-TLS handshake over loopback, for tests that prove a device key can
 * authenticate a TLS client: a server with a certificate from a {@link TestPki} that
 * requires a client certificate chaining to the same root, and a client that presents
 * whatever {@code clientKeys} chooses.
 */
public final class TlsLoopback {

    private TlsLoopback() {
    }

    /** What the server saw. */
    public record Handshake(String protocol, String cipherSuite, List<X509Certificate> clientChain) {
        public Handshake {
            clientChain = List.copyOf(clientChain);
        }
    }

    /**
     * Runs the handshake and exchanges one byte each way.
     *
     * @throws IOException if the handshake fails (for example the server refuses the client certificate)
     */
    public static Handshake handshake(TestPki pki, X509KeyManager clientKeys, Duration timeout) throws IOException, GeneralSecurityException {
        TestPki.Issued server = pki.leaf("localhost").tls().issue();
        TrustManager[] trust = trusting(pki.rootCertificate());
        SSLContext serverContext = SSLContext.getInstance("TLSv1.3");
        try {
            serverContext.init(new KeyManager[] {DeviceKeyManagers.inMemory("server", server.privateKey(), server.chain())}, trust, null);
        } catch (RotException e) {
            throw new GeneralSecurityException(e.getMessage(), e);
        }
        SSLContext clientContext = SSLContext.getInstance("TLSv1.3");
        clientContext.init(new KeyManager[] {clientKeys}, trust, null);
        int timeoutMillis = Math.toIntExact(timeout.toMillis());
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "tls-loopback-server");
            t.setDaemon(true);
            return t;
        });
        try (SSLServerSocket listener = (SSLServerSocket) serverContext.getServerSocketFactory()
                .createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            listener.setNeedClientAuth(true);
            listener.setSoTimeout(timeoutMillis);
            Future<Handshake> serverSide = executor.submit(() -> {
                try (SSLSocket socket = (SSLSocket) listener.accept()) {
                    socket.setSoTimeout(timeoutMillis);
                    socket.startHandshake();
                    InputStream in = socket.getInputStream();
                    OutputStream out = socket.getOutputStream();
                    int ping = in.read();
                    out.write(ping);
                    out.flush();
                    List<X509Certificate> chain = new ArrayList<>();
                    for (Certificate c : socket.getSession().getPeerCertificates()) {
                        chain.add((X509Certificate) c);
                    }
                    return new Handshake(socket.getSession().getProtocol(), socket.getSession().getCipherSuite(), chain);
                }
            });
            try (SSLSocket client = (SSLSocket) clientContext.getSocketFactory()
                    .createSocket(InetAddress.getLoopbackAddress(), listener.getLocalPort())) {
                client.setSoTimeout(timeoutMillis);
                client.startHandshake();
                client.getOutputStream().write(42);
                client.getOutputStream().flush();
                if (client.getInputStream().read() != 42) {
                    throw new IOException("server did not echo the byte");
                }
            }
            return serverSide.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IOException("server side of the handshake failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (TimeoutException e) {
            throw new IOException("handshake timed out after " + timeout, e);
        } finally {
            executor.shutdownNow();
        }
    }

    private static TrustManager[] trusting(X509Certificate root) throws GeneralSecurityException, IOException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setCertificateEntry("root", root);
        TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
        factory.init(store);
        return factory.getTrustManagers();
    }
}
