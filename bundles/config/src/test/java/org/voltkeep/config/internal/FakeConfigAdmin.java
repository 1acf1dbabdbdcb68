package org.voltkeep.config.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.osgi.framework.Filter;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/** An in-memory Configuration Admin that counts updates, as Felix's would trigger component restarts. */
final class FakeConfigAdmin implements ConfigurationAdmin {
    final Map<String, FakeConfiguration> configs = new LinkedHashMap<>();
    final List<String> locationsAsked = new ArrayList<>();
    int updates;
    int deletes;

    @Override
    public Configuration createFactoryConfiguration(String factoryPid) {
        throw new UnsupportedOperationException("the loader must use named factory configurations");
    }

    @Override
    public Configuration createFactoryConfiguration(String factoryPid, String location) {
        throw new UnsupportedOperationException("the loader must use named factory configurations");
    }

    @Override
    public Configuration getConfiguration(String pid, String location) {
        locationsAsked.add(location);
        return configs.computeIfAbsent(pid, p -> new FakeConfiguration(p, null));
    }

    @Override
    public Configuration getConfiguration(String pid) {
        throw new UnsupportedOperationException("the loader must pass a location");
    }

    @Override
    public Configuration getFactoryConfiguration(String factoryPid, String name, String location) {
        locationsAsked.add(location);
        return configs.computeIfAbsent(factoryPid + "~" + name, p -> new FakeConfiguration(p, factoryPid));
    }

    @Override
    public Configuration getFactoryConfiguration(String factoryPid, String name) {
        throw new UnsupportedOperationException("the loader must pass a location");
    }

    @Override
    public Configuration[] listConfigurations(String filter) throws InvalidSyntaxException {
        Filter f = FrameworkUtil.createFilter(filter);
        Configuration[] found = configs.values().stream()
                .filter(c -> c.props != null && f.match(c.props))
                .toArray(Configuration[]::new);
        return found.length == 0 ? null : found;
    }

    /** Sets a configuration as another tool would (no loader marker). */
    void putForeign(String pid, Map<String, Object> values) {
        FakeConfiguration c = new FakeConfiguration(pid, null);
        c.props = new Hashtable<>(values);
        c.props.put("service.pid", pid);
        configs.put(pid, c);
    }

    Map<String, Object> values(String pid) {
        FakeConfiguration c = configs.get(pid);
        if (c == null || c.props == null) {
            return null;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        for (Enumeration<String> e = c.props.keys(); e.hasMoreElements();) {
            String k = e.nextElement();
            m.put(k, c.props.get(k));
        }
        return m;
    }

    final class FakeConfiguration implements Configuration {
        final String pid;
        final String factoryPid;
        Hashtable<String, Object> props;

        FakeConfiguration(String pid, String factoryPid) {
            this.pid = pid;
            this.factoryPid = factoryPid;
        }

        @Override
        public String getPid() {
            return pid;
        }

        @Override
        public Dictionary<String, Object> getProperties() {
            return props == null ? null : new Hashtable<>(props);
        }

        @Override
        public Dictionary<String, Object> getProcessedProperties(ServiceReference<?> reference) {
            return getProperties();
        }

        @Override
        public void update(Dictionary<String, ?> properties) {
            Hashtable<String, Object> p = new Hashtable<>();
            for (Enumeration<String> e = properties.keys(); e.hasMoreElements();) {
                String k = e.nextElement();
                p.put(k, properties.get(k));
            }
            p.put("service.pid", pid);
            if (factoryPid != null) {
                p.put("service.factoryPid", factoryPid);
            }
            props = p;
            updates++;
        }

        @Override
        public void delete() {
            configs.remove(pid);
            deletes++;
        }

        @Override
        public String getFactoryPid() {
            return factoryPid;
        }

        @Override
        public void update() throws IOException {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean updateIfDifferent(Dictionary<String, ?> properties) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void setBundleLocation(String location) {
            throw new UnsupportedOperationException();
        }

        @Override
        public String getBundleLocation() {
            return "?";
        }

        @Override
        public long getChangeCount() {
            return 0;
        }

        @Override
        public void addAttributes(ConfigurationAttribute... attrs) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Set<ConfigurationAttribute> getAttributes() {
            return Set.of();
        }

        @Override
        public void removeAttributes(ConfigurationAttribute... attrs) {
            throw new UnsupportedOperationException();
        }
    }
}
