package org.voltkeep.hal;

/** The proximity pilot of a socket outlet (type 2 socket with detachable cable). */
public interface ProximityPilot {
    CableRating cableRating();
}
