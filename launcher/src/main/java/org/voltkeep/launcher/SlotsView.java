package org.voltkeep.launcher;

import java.util.Optional;

import org.voltkeep.json.Json;
import org.voltkeep.launcher.BootState.SlotRecord;

/** The slot store as JSON: the same shape for {@code voltkeep slots --json} and the {@code slots} request of boot.sock. */
final class SlotsView {
    private SlotsView() {
    }

    static Json.Obj json(BootState st, long floor, Optional<Slot> booted) {
        Json.Arr slots = Json.array();
        for (Slot s : Slot.values()) {
            SlotRecord r = st.slot(s);
            slots.add(Json.object()
                    .put("slot", s.id())
                    .put("state", r.state().id())
                    .put("version", r.image().map(BootState.ImageInfo::version).orElse(null))
                    .put("securityVersion", r.image().map(BootState.ImageInfo::securityVersion).orElse(null))
                    .put("manifestSha256", r.image().map(BootState.ImageInfo::manifestSha256).orElse(null))
                    .put("why", r.why())
                    .put("time", r.time().toString()));
        }
        return Json.object()
                .put("booted", booted.map(Slot::id).orElse(null))
                .put("primary", st.primary().id())
                .put("floor", floor)
                .put("trial", st.trial().<Object>map(t -> Json.object().put("slot", t.slot().id())
                        .put("attemptsLeft", t.attemptsLeft()).put("previous", t.previous().id())).orElse(null))
                .put("slots", slots);
    }
}
