package dev.liveupdate.api.v1alpha1;

/** What happens when a session's restore timeout expires: Fail the node, or Discard the unreclaimed state and finish. */
public enum RestoreTimeoutAction {
    Fail, Discard
}
