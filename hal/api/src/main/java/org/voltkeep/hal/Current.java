package org.voltkeep.hal;

/** An electric current in milliamps. */
public record Current(int milliamps) implements Comparable<Current> {
    public static final Current ZERO = new Current(0);

    public static Current ofAmps(int amps) {
        return new Current(Math.multiplyExact(amps, 1000));
    }

    public double amps() {
        return milliamps / 1000.0;
    }

    public Current min(Current other) {
        return milliamps <= other.milliamps ? this : other;
    }

    @Override
    public int compareTo(Current o) {
        return Integer.compare(milliamps, o.milliamps);
    }

    @Override
    public String toString() {
        return String.format("%.1f A", amps());
    }
}
