package dev.liveupdate.operator.agents;

/**
 * One pod of the agent DaemonSet, as the agent rollout sees it.
 *
 * @param node        spec.nodeName (null while the pod is not yet bound to a node)
 * @param outdated    it runs a pod template older than the DaemonSet's ({@link AgentRevision})
 * @param ready       its Ready condition is True
 * @param terminating metadata.deletionTimestamp is set: someone is already replacing it
 */
public record AgentPod(String name, String node, boolean outdated, boolean ready, boolean terminating) {
}
