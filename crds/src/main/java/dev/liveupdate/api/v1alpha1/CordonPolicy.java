package dev.liveupdate.api.v1alpha1;

/** Whether the operator cordons a node around its reboot. */
public enum CordonPolicy {
    Always, Never
}
