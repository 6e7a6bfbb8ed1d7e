package dev.liveupdate.api.v1alpha1;

/** How far a plan takes every node: Prepared (staged, no reboot), Updated (rebooted into the new kernel, sessions restored, not finished) or Finished. */
public enum TargetPhase {
    Prepared, Updated, Finished
}
