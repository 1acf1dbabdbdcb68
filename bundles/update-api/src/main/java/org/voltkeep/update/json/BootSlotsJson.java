package org.voltkeep.update.json;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.voltkeep.json.Json;
import org.voltkeep.json.JsonException;
import org.voltkeep.update.BootSlots;

/**
 * The launcher's answer to {@code {"cmd":"slots"}} on its boot socket, and the same
 * form written back. Keys the reader does not know are ignored (a newer launcher
 * may say more); an empty slot may leave out its image fields.
 */
public final class BootSlotsJson {
    private BootSlotsJson() {
    }

    public static BootSlots read(Json.Obj o) {
        Optional<BootSlots.Trial> trial = Optional.empty();
        if (o.has("trial") && o.get("trial") instanceof Json.Obj t) {
            trial = Optional.of(new BootSlots.Trial(slotName(t, "slot"), (int) t.integer("attemptsLeft", 0, 1000)));
        } else if (o.has("trial") && !"null".equals(o.get("trial").typeName())) {
            throw new JsonException(o.path("trial") + ": expected an object or null, found " + o.get("trial").typeName());
        }
        List<BootSlots.Slot> slots = new ArrayList<>();
        Json.Arr arr = o.arr("slots");
        for (int i = 0; i < arr.size(); i++) {
            Json.Obj s = arr.obj(i);
            slots.add(new BootSlots.Slot(slotName(s, "slot"), s.enumValue("state", BootSlots.SlotState.class),
                    optionalString(s, "version"), s.has("securityVersion") && !isNull(s, "securityVersion")
                            ? s.integer("securityVersion") : 0,
                    optionalString(s, "manifestSha256"), optionalString(s, "why")));
        }
        return new BootSlots(slotName(o, "booted"), slotName(o, "primary"), o.integer("floor"), trial, slots);
    }

    public static Json.Obj write(BootSlots b) {
        Json.Arr slots = Json.array();
        for (BootSlots.Slot s : b.slots()) {
            slots.add(Json.object().put("slot", s.slot()).put("state", s.state()).put("version", s.version())
                    .put("securityVersion", s.securityVersion()).put("manifestSha256", s.manifestSha256()).put("why", s.why()));
        }
        return Json.object().put("booted", b.booted()).put("primary", b.primary()).put("floor", b.floor())
                .put("trial", b.trial().<Object>map(t -> Json.object().put("slot", t.slot()).put("attemptsLeft", t.attemptsLeft()))
                        .orElse(null))
                .put("slots", slots);
    }

    private static String slotName(Json.Obj o, String key) {
        String s = o.string(key);
        if (!s.matches("[a-z]{1,8}")) {
            throw new JsonException(o.path(key) + ": '" + s + "' is not a slot name");
        }
        return s;
    }

    private static boolean isNull(Json.Obj o, String key) {
        return "null".equals(o.get(key).typeName());
    }

    private static String optionalString(Json.Obj o, String key) {
        return o.has(key) && !isNull(o, key) ? o.string(key) : "";
    }
}
