package org.voltkeep.hal;

/**
 * One charger board: the parts of one charging point. Registered as an OSGi
 * service by the selected implementation (simulated or Pi4J) in the safety domain.
 */
public interface Board {
    /** Identifies the implementation, e.g. "sim" or "pi4j". */
    String kind();

    BoardClock clock();

    ControlPilot controlPilot();

    ProximityPilot proximityPilot();

    Contactor contactor();

    CableLock cableLock();

    RcdMonitor rcdMonitor();

    EnergyMeter meter();

    TemperatureSensor temperatureSensor();

    Indicator indicator();

    HardwareWatchdog watchdog();

    /** The largest current this board's power path is rated for. */
    Current hardwareRating();

    /**
     * Registers a listener called (on the board's thread) whenever an input may have
     * changed. Listeners must return quickly: they only wake the safety loop.
     */
    void onInputChange(Runnable listener);

    void removeInputListener(Runnable listener);
}
