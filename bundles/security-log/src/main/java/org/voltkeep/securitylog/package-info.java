/**
 * The security event log: append-only, hash-chained JSON lines in the data
 * directory, with events named as OCPP names them. Used by the launcher (a plain
 * JVM, before any framework runs) and by the application domain; both may append
 * to the same file at the same time.
 */
@Export
@Version("1.1.0")
package org.voltkeep.securitylog;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
