/**
 * The link between the application domain and the safety domain: a small,
 * versioned set of binary messages over a local Unix domain socket.
 *
 * <p>The application domain only sends requests; the safety domain validates and
 * arbitrates them. Every {@link org.voltkeep.link.Message} value is valid by
 * construction, and {@link org.voltkeep.link.LinkCodec#decode(java.nio.ByteBuffer)}
 * refuses anything else with a {@link org.voltkeep.link.LinkProtocolException}
 * that names the field and the reason, so neither side ever acts on a half-read
 * or out-of-range request.
 */
@Export
@Version("1.0.0")
package org.voltkeep.link;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
