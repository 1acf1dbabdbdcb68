package org.voltkeep.rot.pkcs11;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.Provider;
import java.security.Security;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * SoftHSM2 tokens for the tests. SoftHSM2 reads {@code SOFTHSM2_CONF} and lists its
 * tokens once, when the PKCS#11 library is first initialised in a process; tokens made
 * afterwards stay invisible to that process. So the first use in a test JVM writes the
 * configuration (a token directory under {@code target/}), initialises a pool of fresh
 * tokens with {@code softhsm2-util}, and every test takes one of its own.
 */
final class SoftHsm {

    static final Path LIBRARY = Path.of("/usr/lib/softhsm/libsofthsm2.so");
    static final String USER_PIN = "test-user-pin-4711";
    private static final String SO_PIN = "test-so-pin-0815";
    private static final int POOL = 24;
    private static final Pattern REASSIGNED = Pattern.compile("reassigned to slot (\\d+)");

    /** One initialised token. */
    record TestToken(String label, long slot) {

        Pkcs11Config config() {
            return new Pkcs11Config(LIBRARY, new Pkcs11Config.Slot(slot), USER_PIN.toCharArray());
        }

        Pkcs11Config config(String pin) {
            return new Pkcs11Config(LIBRARY, new Pkcs11Config.Slot(slot), pin.toCharArray());
        }

        /** The Voltkeep labels on the token, read through a provider of the test's own. */
        Set<String> voltkeepObjects() throws Exception {
            Provider provider = Security.getProvider("SunPKCS11").configure(
                    "--name = test-view-" + slot + "\nlibrary = " + LIBRARY + "\nslot = " + slot + "\n");
            KeyStore store = KeyStore.getInstance("PKCS11", provider);
            store.load(null, USER_PIN.toCharArray());
            Set<String> result = new TreeSet<>();
            for (String alias : Collections.list(store.aliases())) {
                if (alias.startsWith("voltkeep.")) {
                    result.add(alias);
                }
            }
            return result;
        }

        /** {@code pkcs11-tool --list-objects} as text: an opinion about the objects independent of the JDK. */
        String listObjects() throws Exception {
            return run(List.of("pkcs11-tool", "--module", LIBRARY.toString(), "--slot", Long.toString(slot),
                    "--login", "--pin", USER_PIN, "--list-objects"));
        }
    }

    private final List<TestToken> free = new ArrayList<>();

    private static SoftHsm instance;

    private SoftHsm() throws Exception {
        String conf = System.getenv("SOFTHSM2_CONF");
        if (conf == null || conf.isBlank()) {
            throw new IllegalStateException("SOFTHSM2_CONF is not set: run these tests through Maven (surefire sets it to target/softhsm/softhsm2.conf)");
        }
        if (!Files.isRegularFile(LIBRARY)) {
            throw new IllegalStateException(LIBRARY + " is missing: install the Debian package softhsm2 (CI does)");
        }
        Path confFile = Path.of(conf);
        Path tokens = confFile.getParent().resolve("tokens");
        if (Files.exists(tokens)) {
            try (Stream<Path> old = Files.walk(tokens)) {
                for (Path p : old.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        Files.createDirectories(tokens);
        Files.writeString(confFile, "directories.tokendir = " + tokens + "\nobjectstore.backend = file\nlog.level = ERROR\n",
                StandardCharsets.UTF_8);
        for (int i = 0; i < POOL; i++) {
            String label = "voltkeep-test-" + i;
            String out = run(List.of("softhsm2-util", "--init-token", "--free", "--label", label, "--so-pin", SO_PIN, "--pin", USER_PIN));
            Matcher m = REASSIGNED.matcher(out);
            if (!m.find()) {
                throw new IllegalStateException("softhsm2-util did not say which slot token " + label + " went to: " + out);
            }
            free.add(new TestToken(label, Long.parseLong(m.group(1))));
        }
    }

    /** A fresh token that no other test uses. */
    static synchronized TestToken freshToken() throws Exception {
        if (instance == null) {
            instance = new SoftHsm();
        }
        if (instance.free.isEmpty()) {
            throw new IllegalStateException("all " + POOL + " SoftHSM test tokens are used: raise SoftHsm.POOL");
        }
        return instance.free.remove(0);
    }

    static String run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IOException(command.get(0) + " did not finish within 60 s");
        }
        if (process.exitValue() != 0) {
            throw new IOException(command.get(0) + " failed (exit " + process.exitValue() + "): " + out);
        }
        return out;
    }
}
