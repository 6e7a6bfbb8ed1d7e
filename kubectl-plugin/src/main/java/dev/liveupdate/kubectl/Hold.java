package dev.liveupdate.kubectl;

/** Something that holds a rollout back, e.g. (Paused, "spec.paused is true ..."), (Stalled/MaxFailures, message). */
public record Hold(String what, String why) {
}
