package dev.liveupdate.agent.handoff;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.Logger;

/**
 * A pod's presence read from the kubelet's pod directories ({@code <kubelet root>/pods/<pod uid>}, mounted read-only
 * into the agent). The kubelet creates a pod's directory before its first container starts and removes it only after
 * the pod was deleted and its volumes torn down. The directory is on the host's disk, so it is still there after a
 * reboot or a kexec while the kubelet has not started the pod again: such a pod is present, and its files are kept.
 *
 * <p>The directory is trusted only while it holds the agent's own pod ({@code ownPodUid}): a wrong or empty mount
 * (another kubelet root-dir, a directory the chart created because the host has none) would otherwise make every pod
 * look gone. Without it, and for host processes (no pod), the answer is {@link Presence#UNKNOWN}: never released.
 */
public final class KubeletPodDirs implements OwnerPresence {
    private static final Logger LOG = Logger.getLogger(KubeletPodDirs.class.getName());

    private final Path podsDir;
    private final String ownPodUid;
    private volatile boolean warned;

    /** @param ownPodUid the agent's own pod UID (downward API metadata.uid), or null/blank outside a pod */
    public KubeletPodDirs(Path podsDir, String ownPodUid) {
        this.podsDir = podsDir;
        this.ownPodUid = ownPodUid == null || ownPodUid.isBlank() ? null : ownPodUid.trim();
    }

    @Override
    public Presence of(Owner owner) {
        if (!owner.isPod() || !trusted()) {
            return Presence.UNKNOWN;
        }
        return Files.isDirectory(podsDir.resolve(owner.podUid())) ? Presence.PRESENT : Presence.GONE;
    }

    private boolean trusted() {
        if (ownPodUid != null && Files.isDirectory(podsDir.resolve(ownPodUid))) {
            return true;
        }
        if (!warned) {
            warned = true;
            LOG.warning(() -> podsDir + (ownPodUid == null ? " cannot be checked (the agent's own pod UID, liveupdate.agent.pod-uid, is not set)"
                    : " does not hold the agent's own pod " + ownPodUid) + ": files of pods that are gone are not released;"
                    + " set liveupdate.agent.socket.kubelet-pods-dir to the kubelet's <root-dir>/pods");
        }
        return false;
    }
}
