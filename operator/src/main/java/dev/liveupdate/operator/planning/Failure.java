package dev.liveupdate.operator.planning;

import java.time.Instant;

/** A node failure as the operator recorded it. {@code rebooted} says whether the node was asked to reboot first. */
public record Failure(String reason, String message, Instant at, boolean rebooted) {
}
