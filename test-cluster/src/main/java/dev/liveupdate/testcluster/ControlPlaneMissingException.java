package dev.liveupdate.testcluster;

/** A control-plane binary is missing: the message says which, where it was looked for, and how to install it. */
public class ControlPlaneMissingException extends IllegalStateException {
    public ControlPlaneMissingException(String message) {
        super(message);
    }
}
