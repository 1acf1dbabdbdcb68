/**
 * Test helpers shipped with the contract, so every consumer's tests reuse one set:
 * a throw-away PKI that issues signer-role certificates and device certificates
 * ({@link org.voltkeep.rot.api.testing.TestPki}), and an in-memory
 * {@link org.voltkeep.rot.api.RootOfTrust} ({@link org.voltkeep.rot.api.testing.InMemoryRootOfTrust}).
 * Keys live in memory only; nothing here is for production use.
 */
@Export
@Version("1.0.0")
package org.voltkeep.rot.api.testing;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
