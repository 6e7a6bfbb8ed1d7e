package dev.liveupdate.testcluster;

/**
 * A node agent's identity: its ServiceAccount, the Pod bound to {@code nodeName} that stands for the agent, and a
 * pod-bound service-account token. The API server puts the node name into the token
 * (ServiceAccountTokenPodNodeInfo, GA and locked on since 1.32), and on every request into
 * {@code userInfo.extra["authentication.kubernetes.io/node-name"]} — what the chart's admission policy checks.
 */
public record AgentIdentity(String namespace, String serviceAccount, String podName, String podUid, String nodeName,
                            String token) {

    /** The user name the API server sees: system:serviceaccount:NAMESPACE:NAME. */
    public String username() {
        return "system:serviceaccount:" + namespace + ":" + serviceAccount;
    }
}
