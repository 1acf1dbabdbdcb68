package org.voltkeep.config.internal;

import org.osgi.framework.BundleContext;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.voltkeep.config.ConfigLoader;
import org.voltkeep.config.LoadReport;

/**
 * The loader as a component. It has no configuration of its own: it is what
 * feeds Configuration Admin, so it reads only framework properties.
 */
@Component(immediate = true, service = ConfigLoader.class)
public final class ConfigLoaderComponent implements ConfigLoader {
    static final String CONFIG_DIR_PROPERTY = "voltkeep.config.dir";

    private final ConfigSync sync;
    private final String directory;
    private volatile LoadReport last;

    @Activate
    public ConfigLoaderComponent(@Reference ConfigurationAdmin admin, BundleContext context) {
        this(admin, context.getProperty(CONFIG_DIR_PROPERTY), new Substitutor(context::getProperty));
    }

    ConfigLoaderComponent(ConfigurationAdmin admin, String directory, Substitutor substitutor) {
        this.sync = new ConfigSync(admin, new CfgFileReader(substitutor));
        this.directory = directory;
        this.last = reload();
    }

    @Override
    public synchronized LoadReport reload() {
        LoadReport r = sync.load(directory);
        last = r;
        return r;
    }

    @Override
    public LoadReport lastReport() {
        return last;
    }
}
