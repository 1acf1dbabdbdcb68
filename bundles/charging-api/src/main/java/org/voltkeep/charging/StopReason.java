package org.voltkeep.charging;

/** Why a session stopped or was asked to stop. */
public enum StopReason {
    LOCAL, REMOTE, EV_DISCONNECTED, FAULT, LINK_SILENT, SHUTDOWN, OTHER
}
