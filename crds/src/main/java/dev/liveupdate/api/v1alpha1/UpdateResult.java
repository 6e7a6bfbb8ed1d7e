package dev.liveupdate.api.v1alpha1;

/** How a node's last live update ended. */
public enum UpdateResult {
    Finished, Cancelled, Failed
}
