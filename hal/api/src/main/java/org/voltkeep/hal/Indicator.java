package org.voltkeep.hal;

public interface Indicator {
    void show(IndicatorState state);

    IndicatorState showing();
}
