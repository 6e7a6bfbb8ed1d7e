package dev.liveupdate.api.v1alpha1;

/**
 * What a plan does while fleet preflight finds a blocking problem on a node it has not started yet. Halt: no wave
 * starts while one stands (the plan waits and re-evaluates as the nodes' inventories change). Skip: those nodes are
 * skipped with the finding as their reason and the rest roll. Report: findings are only reported (the plan runs as if
 * there were none, and a node's own prepare step fails where it must).
 */
public enum PreflightPolicy {
    Halt, Skip, Report
}
