package org.voltkeep.hal;

/** What the front indicator (LEDs) shows. */
public enum IndicatorState {
    OFF, IDLE, CONNECTED, CHARGING, PAUSED, FAULT
}
