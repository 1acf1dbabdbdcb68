package org.voltkeep.safety.hold.internal;

import java.lang.reflect.Proxy;
import java.util.Map;

/** Builds {@link Config} the way Configuration Admin and DS deliver it: metatype defaults, some keys overridden. */
final class Configs {
    private Configs() {
    }

    static Config config(Map<String, Object> overrides) {
        return (Config) Proxy.newProxyInstance(Config.class.getClassLoader(), new Class<?>[] {Config.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("annotationType")) {
                        return Config.class;
                    }
                    Object v = overrides.getOrDefault(method.getName(), method.getDefaultValue());
                    // .cfg files deliver strings; DS coerces them to the attribute's type
                    if (v instanceof String s && method.getReturnType() == long.class) {
                        return Long.parseLong(s.trim());
                    }
                    return v;
                });
    }
}
