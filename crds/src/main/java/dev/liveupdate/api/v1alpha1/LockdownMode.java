package dev.liveupdate.api.v1alpha1;

/** The running kernel's lockdown mode (/sys/kernel/security/lockdown); Unknown when the agent cannot read it. */
public enum LockdownMode {
    None, Integrity, Confidentiality, Unknown
}
