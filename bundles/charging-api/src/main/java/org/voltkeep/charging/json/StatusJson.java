package org.voltkeep.charging.json;

import java.util.EnumSet;
import java.util.Set;

import org.voltkeep.charging.ChargerState;
import org.voltkeep.charging.ChargerStatus;
import org.voltkeep.charging.FallbackMode;
import org.voltkeep.charging.Fault;
import org.voltkeep.charging.LimitSource;
import org.voltkeep.charging.LinkState;
import org.voltkeep.json.Json;

/** Writes and reads {@link ChargerStatus} as a JSON object with named units. */
public final class StatusJson {
    private StatusJson() {
    }

    public static Json.Obj write(ChargerStatus s) {
        Json.Arr faults = Json.array();
        s.activeFaults().stream().sorted().forEach(f -> faults.add(f.name()));
        return Json.object()
                .put("boardMillis", s.boardMillis())
                .put("state", s.state())
                .put("pwmPermille", s.pwmPermille())
                .put("contactorCommanded", s.contactorCommanded())
                .put("contactorFeedback", s.contactorFeedback())
                .put("authorized", s.authorized())
                .put("idTag", s.idTag())
                .put("sessionId", s.sessionId())
                .put("sessionStartMillis", s.sessionStartMillis())
                .put("sessionEnergyWh", s.sessionEnergyWh())
                .put("meterEnergyWh", s.meterEnergyWh())
                .put("currentMilliamps", s.currentMilliamps())
                .put("powerWatts", s.powerWatts())
                .put("limitMilliamps", s.limitMilliamps())
                .put("limitSource", s.limitSource())
                .put("cableMilliamps", s.cableMilliamps())
                .put("temperatureDeciC", s.temperatureDeciC())
                .put("faults", faults)
                .put("link", s.link())
                .put("fallback", s.fallback())
                .put("stopRequested", s.stopRequested())
                .put("selfTestPassed", s.selfTestPassed());
    }

    public static ChargerStatus read(Json.Obj o) {
        Set<Fault> faults = EnumSet.noneOf(Fault.class);
        Json.Arr fa = o.arr("faults");
        for (int i = 0; i < fa.size(); i++) {
            String name = fa.string(i);
            try {
                faults.add(Fault.valueOf(name));
            } catch (IllegalArgumentException e) {
                throw new org.voltkeep.json.JsonException(fa.path(i) + ": unknown fault '" + name + "'");
            }
        }
        return new ChargerStatus(
                o.integer("boardMillis"),
                o.enumValue("state", ChargerState.class),
                (int) o.integer("pwmPermille", 0, 1000),
                o.bool("contactorCommanded"),
                o.bool("contactorFeedback"),
                o.bool("authorized"),
                o.string("idTag"),
                o.integer("sessionId"),
                o.integer("sessionStartMillis"),
                o.integer("sessionEnergyWh"),
                o.integer("meterEnergyWh"),
                (int) o.integer("currentMilliamps"),
                (int) o.integer("powerWatts"),
                (int) o.integer("limitMilliamps"),
                o.enumValue("limitSource", LimitSource.class),
                (int) o.integer("cableMilliamps"),
                (int) o.integer("temperatureDeciC"),
                faults,
                o.enumValue("link", LinkState.class),
                o.enumValue("fallback", FallbackMode.class),
                o.bool("stopRequested"),
                o.bool("selfTestPassed"));
    }
}
