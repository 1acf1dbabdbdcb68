package org.voltkeep.zones;

import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceEvent;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.hooks.service.EventListenerHook;
import org.osgi.framework.hooks.service.FindHook;
import org.osgi.framework.hooks.service.ListenerHook.ListenerInfo;
import org.voltkeep.rot.api.Zone;

/**
 * Service visibility: a bundle neither finds ({@code getServiceReferences}, trackers,
 * Declarative Services references) nor hears of (service listeners) a service its
 * zone may not see. The system bundle sees everything (the framework ignores hooks
 * for it anyway); a bundle always sees its own services.
 *
 * <p>The framework logs and ignores a hook that throws, which would show everything:
 * so any failure here hides everything instead.
 */
final class ServiceGate implements FindHook, EventListenerHook {
    private final ZonePolicy policy;
    private final ZoneMap zones;

    ServiceGate(ZonePolicy policy, ZoneMap zones) {
        this.policy = policy;
        this.zones = zones;
    }

    @Override
    public void find(BundleContext context, String name, String filter, boolean allServices,
            Collection<ServiceReference<?>> references) {
        try {
            Bundle finder = context.getBundle();
            for (Iterator<ServiceReference<?>> it = references.iterator(); it.hasNext();) {
                if (!visible(finder, it.next())) {
                    it.remove();
                }
            }
        } catch (RuntimeException e) {
            references.clear();
        }
    }

    @Override
    public void event(ServiceEvent event, Map<BundleContext, Collection<ListenerInfo>> listeners) {
        ServiceReference<?> reference = event.getServiceReference();
        for (Iterator<Map.Entry<BundleContext, Collection<ListenerInfo>>> it = listeners.entrySet().iterator(); it.hasNext();) {
            BundleContext context = it.next().getKey();
            boolean keep;
            try {
                keep = visible(context.getBundle(), reference);
            } catch (RuntimeException e) {
                keep = false;
            }
            if (!keep) {
                it.remove();
            }
        }
    }

    private boolean visible(Bundle finder, ServiceReference<?> reference) {
        Optional<Origin> finderOrigin = zones.originOf(finder);
        if (finderOrigin.isEmpty()) {
            return false;
        }
        if (finderOrigin.get() == Origin.FRAMEWORK) {
            return true;
        }
        Bundle registrant = reference.getBundle();
        if (registrant == null) {
            return false;
        }
        if (registrant == finder) {
            return true;
        }
        Optional<Origin> registrantOrigin = zones.originOf(registrant);
        if (registrantOrigin.isEmpty()) {
            return false;
        }
        Object classes = reference.getProperty(Constants.OBJECTCLASS);
        if (!(classes instanceof String[] names)) {
            return false;
        }
        Zone zone = finderOrigin.get().zone().orElseThrow();
        return policy.maySeeService(zone, List.of(names), registrantOrigin.get());
    }
}
