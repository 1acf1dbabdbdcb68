/**
 * A small, strict JSON reader and writer with typed accessors whose errors name
 * the offending path. Used for scenario files, session records, the control
 * socket and status output. Limits (depth, size) keep hostile input bounded.
 */
@Export
@Version("1.0.0")
package org.voltkeep.json;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
