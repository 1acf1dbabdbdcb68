package org.voltkeep.config;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Loads the configuration directory into Configuration Admin.
 *
 * <p>Rules, applied per file:
 * <ul>
 * <li>{@code <pid>.cfg} is a {@link java.util.Properties} file (UTF-8) for the
 *     configuration {@code pid}; {@code <factoryPid>~<name>.cfg} makes the factory
 *     configuration {@code <factoryPid>~<name>}. Other files are ignored.</li>
 * <li>{@code ${name}} in a value is replaced by the framework property {@code name}.</li>
 * <li>A file that cannot be read or parsed, has a bad PID in its name or names an
 *     unknown {@code ${...}} is refused with one log line and changes nothing: the
 *     previous configuration of that PID stays, other files are still applied.</li>
 * <li>A configuration is updated only when its content differs, so components are
 *     not restarted for nothing.</li>
 * <li>A configuration this loader made whose file is gone is deleted.</li>
 * </ul>
 */
@ProviderType
public interface ConfigLoader {

    /** Reads the directory again and applies it; never throws for bad files, it reports them. */
    LoadReport reload();

    /** The report of the latest load (the one at start if {@link #reload()} was never called). */
    LoadReport lastReport();
}
