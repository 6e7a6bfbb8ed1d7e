package dev.liveupdate.api.v1alpha1;

/**
 * What a node does when a subscribed workload has not acknowledged the freeze notice by its deadline: Abort (no kexec,
 * the node fails with reason FreezeTimeout and the workloads are told to thaw), or Proceed with the kexec.
 */
public enum FreezeTimeoutAction {
    Abort, Proceed
}
