/**
 * Feeds Configuration Admin from the {@code *.cfg} files of the domain's
 * configuration directory (framework property {@code voltkeep.config.dir}).
 * Files are read at start and again on {@link ConfigLoader#reload()}; there is
 * deliberately no directory watch, because configuration changes arrive with
 * verified images, not by editing files on a running device.
 */
@Export
@Version("1.0.0")
package org.voltkeep.config;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
