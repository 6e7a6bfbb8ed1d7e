package dev.liveupdate.agent.engine;

/** Why a step failed: a machine-readable reason (e.g. SessionsLost) and a message a person can act on. */
public record Failure(String reason, String message) {
}
