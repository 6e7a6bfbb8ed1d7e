package dev.liveupdate.api.v1alpha1;

/** What 'restored' means for a session after the kexec. */
public enum RestoreRule {
    AllTokensReclaimed, SessionRetrieved
}
