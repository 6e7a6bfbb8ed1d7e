package dev.liveupdate.api.v1alpha1;

/** Where one staged kernel artifact is on a node: being downloaded, staged (checksum verified), or failed (retried). */
public enum StagingState {
    Downloading, Staged, Failed
}
