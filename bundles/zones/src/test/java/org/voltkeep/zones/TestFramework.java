package org.voltkeep.zones;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.FrameworkListener;
import org.osgi.framework.SynchronousBundleListener;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;
import org.osgi.framework.wiring.FrameworkWiring;

/**
 * A real Felix framework for one test, embedded as the launcher embeds it
 * ({@code ServiceLoader} → {@code FrameworkFactory}), with a record of every bundle
 * event the system bundle hears (the system bundle hears all, whatever the hooks do).
 */
final class TestFramework implements AutoCloseable {
    /** One bundle event: which bundle, which event. */
    record Event(String symbolicName, int type) {
        @Override
        public String toString() {
            return symbolicName + " " + switch (type) {
                case BundleEvent.INSTALLED -> "INSTALLED";
                case BundleEvent.RESOLVED -> "RESOLVED";
                case BundleEvent.STARTING -> "STARTING";
                case BundleEvent.STARTED -> "STARTED";
                case BundleEvent.STOPPING -> "STOPPING";
                case BundleEvent.STOPPED -> "STOPPED";
                case BundleEvent.UPDATED -> "UPDATED";
                case BundleEvent.UNRESOLVED -> "UNRESOLVED";
                case BundleEvent.UNINSTALLED -> "UNINSTALLED";
                default -> Integer.toString(type);
            };
        }
    }

    private final Framework framework;
    private final List<Event> events = Collections.synchronizedList(new ArrayList<>());

    private TestFramework(Framework framework) {
        this.framework = framework;
    }

    /** An {@code init()}ed framework: the system bundle is there, no other bundle, not started yet. */
    static TestFramework init(Path storage) throws BundleException {
        return init(storage, Map.of());
    }

    static TestFramework init(Path storage, Map<String, String> properties) throws BundleException {
        Map<String, String> p = new HashMap<>(properties);
        p.put(Constants.FRAMEWORK_STORAGE, storage.toString());
        p.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        FrameworkFactory factory = ServiceLoader.load(FrameworkFactory.class).findFirst().orElseThrow();
        Framework f = factory.newFramework(p);
        f.init();
        TestFramework t = new TestFramework(f);
        f.getBundleContext().addBundleListener((SynchronousBundleListener) e ->
                t.events.add(new Event(e.getBundle().getSymbolicName(), e.getType())));
        return t;
    }

    BundleContext system() {
        return framework.getBundleContext();
    }

    void start() throws BundleException {
        framework.start();
    }

    /** Every bundle event so far, in order. */
    List<Event> events() {
        synchronized (events) {
            return List.copyOf(events);
        }
    }

    void clearEvents() {
        events.clear();
    }

    /** Events of the named bundles since the last {@link #clearEvents()}. */
    List<Event> eventsOf(String... symbolicNames) {
        List<String> names = List.of(symbolicNames);
        return events().stream().filter(e -> names.contains(e.symbolicName())).toList();
    }

    /** Refreshes exactly these bundles (and what the framework must take along) and waits until done. */
    void refresh(Bundle... bundles) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        framework.adapt(FrameworkWiring.class).refreshBundles(List.of(bundles), (FrameworkListener) e -> {
            if (e.getType() == FrameworkEvent.PACKAGES_REFRESHED) {
                done.countDown();
            }
        });
        if (!done.await(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("refresh did not finish in 30 s");
        }
    }

    FrameworkWiring wiring() {
        return framework.adapt(FrameworkWiring.class);
    }

    @Override
    public void close() throws BundleException, InterruptedException {
        framework.stop();
        framework.waitForStop(10_000);
    }
}
