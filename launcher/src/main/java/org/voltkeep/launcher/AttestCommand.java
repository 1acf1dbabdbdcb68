package org.voltkeep.launcher;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.voltkeep.attestation.AttestationReport;
import org.voltkeep.attestation.AttestationVerdict;
import org.voltkeep.attestation.AttestationVerifier;
import org.voltkeep.attestation.Nonce;
import org.voltkeep.attestation.ReportSigner;
import org.voltkeep.attestation.SignedAttestation;
import org.voltkeep.image.VerifiedBundle;
import org.voltkeep.rot.api.RootOfTrust;
import org.voltkeep.rot.api.RotException;
import org.voltkeep.rot.api.SignatureVerifier;

/** {@code voltkeep attest} and {@code voltkeep attest verify}. */
final class AttestCommand {
    static final String HELP = """
            usage: voltkeep attest --device DIR [--nonce HEX] [--out FILE]
                   voltkeep attest verify FILE (--public-key FILE | --certificate FILE) [--nonce HEX]

            attest         verifies the primary slot's image as a boot would and prints a report
                           signed by the device key: slot, image version, manifest hash, each
                           bundle's hash, boot counter, root-of-trust backend, trust mode, nonce.
            attest verify  checks a report against the device's public key (DER or PEM
                           SubjectPublicKeyInfo) or its certificate, and the nonce you sent.
                           Exit 0 when valid; exit 1 and the reason when not.
            """;

    private final PrintStream out;
    private final PrintStream err;

    AttestCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    int run(List<String> argv) throws UsageException {
        if (!argv.isEmpty() && argv.get(0).equals("verify")) {
            return verify(argv.subList(1, argv.size()));
        }
        Args a = Args.parse("attest", argv, Set.of("device", "nonce", "out", "board"), Set.of());
        a.noPositionals("attest");
        DeviceLayout device = new DeviceLayout(a.requiredPath("attest", "device"));
        device.requireDevice();
        Optional<Nonce> nonce = nonce(a);
        try {
            // what runs now, or what would boot
            String slot = SlotsCommand.bootedSlot(device).map(Slot::id).orElse(BootState.read(device).primarySlot());
            BootVerifier.Boot boot = BootVerifier.verify(device, slot, a.value("board").orElse("sim"),
                    SlotStore.floorFor(device, Slot.parse(slot)));
            String text;
            try (RootOfTrust rot = DeviceTrust.open(device)) {
                AttestationReport.Builder b = AttestationReport.builder().rootOfTrust(rot)
                        .slot(slot)
                        .imageVersion(boot.image().manifest().version())
                        .securityVersion(boot.image().manifest().securityVersion())
                        .manifestSha256(boot.image().manifestSha256())
                        .nonce(nonce)
                        .created(java.time.Instant.now());
                for (VerifiedBundle vb : boot.image().bundles()) {
                    b.bundle(vb.domain().id() + "/" + vb.symbolicName(), vb.sha256());
                }
                text = SignedAttestation.sign(b.build(), ReportSigner.of(rot)).toText();
            }
            if (a.path("out").isPresent()) {
                AtomicFiles.write(a.path("out").get(), text);
            } else {
                out.print(text);
            }
            return 0;
        } catch (SlotRejectedException | RotException | IOException | GeneralSecurityException e) {
            err.println("voltkeep attest: " + e.getMessage());
            return 1;
        }
    }

    private int verify(List<String> argv) throws UsageException {
        Args a = Args.parse("attest verify", argv, Set.of("public-key", "certificate", "nonce"), Set.of());
        if (a.positionals().size() != 1) {
            throw new UsageException("attest verify: give one report FILE");
        }
        if (a.value("public-key").isPresent() == a.value("certificate").isPresent()) {
            throw new UsageException("attest verify: give exactly one of --public-key FILE or --certificate FILE");
        }
        Optional<Nonce> nonce = nonce(a);
        try {
            String report = Files.readString(Path.of(a.positionals().get(0)), StandardCharsets.UTF_8);
            AttestationVerdict v;
            if (a.path("certificate").isPresent()) {
                X509Certificate cert;
                try (var in = Files.newInputStream(a.path("certificate").get())) {
                    cert = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
                }
                v = AttestationVerifier.verify(report, cert, nonce);
            } else {
                v = AttestationVerifier.verify(report, publicKey(a.path("public-key").get()), nonce);
            }
            out.println(v.ok() ? "valid: " + v.message() : "invalid: " + v.message());
            return v.ok() ? 0 : 1;
        } catch (IOException | CertificateException | RotException e) {
            err.println("voltkeep attest verify: " + e.getMessage());
            return 1;
        }
    }

    private static PublicKey publicKey(Path file) throws IOException, RotException {
        String text = Files.readString(file, StandardCharsets.US_ASCII);
        byte[] der = text.contains("-----BEGIN")
                ? java.util.Base64.getMimeDecoder().decode(text.replaceAll("-----[A-Z ]+-----", ""))
                : Files.readAllBytes(file);
        return SignatureVerifier.publicKey(der);
    }

    private static Optional<Nonce> nonce(Args a) throws UsageException {
        try {
            return a.value("nonce").map(Nonce::of);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--nonce: " + e.getMessage());
        }
    }
}
