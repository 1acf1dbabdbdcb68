package org.voltkeep.launcher;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The device's slots: A and B take updates; R holds the recovery image and is never written by an install. */
enum Slot {
    A("a"), B("b"), R("r");

    private final String id;

    Slot(String id) {
        this.id = id;
    }

    /** The slot's name in files, paths and protocols. */
    String id() {
        return id;
    }

    boolean updatable() {
        return this != R;
    }

    /** The other updatable slot (A for B, B for A); R has none. */
    Slot other() {
        return switch (this) {
            case A -> B;
            case B -> A;
            case R -> throw new IllegalStateException("slot r has no other slot");
        };
    }

    static Slot parse(String id) {
        for (Slot s : values()) {
            if (s.id.equals(id)) {
                return s;
            }
        }
        throw new IllegalArgumentException("slot '" + id + "' is not one of "
                + Arrays.stream(values()).map(Slot::id).collect(Collectors.joining(", ")));
    }

    @Override
    public String toString() {
        return id;
    }
}
