package dev.liveupdate.testcluster;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What a real node needs from the host beyond the control-plane binaries: Debian's containerd, runc, the CNI plugins
 * and iptables, run as root. Checked before anything starts, so a missing piece ends the tier with one message that
 * names it and the script that installs it, never with a kubelet that waits forever.
 */
final class NodePrerequisites {
    static final String INSTALL_HINT = "install them with: bash hack/install-prereqs.sh "
            + "(Debian packages containerd, runc, containernetworking-plugins, iptables)";
    static final Path CNI_BIN_DIR = Path.of("/usr/lib/cni");
    private static final List<String> TOOLS = List.of("containerd", "ctr", "runc", "iptables", "ip", "mount", "umount");
    private static final List<String> CNI_PLUGINS = List.of("bridge", "host-local", "loopback", "portmap");

    private NodePrerequisites() {
    }

    static void check(ControlPlaneBinaries binaries) {
        binaries.requireNodeBinaries();
        List<String> missing = new ArrayList<>();
        for (String tool : TOOLS) {
            if (onPath(tool) == null) {
                missing.add(tool);
            }
        }
        for (String plugin : CNI_PLUGINS) {
            if (!Files.isExecutable(CNI_BIN_DIR.resolve(plugin))) {
                missing.add(CNI_BIN_DIR.resolve(plugin).toString());
            }
        }
        if (!missing.isEmpty()) {
            throw new ControlPlaneMissingException("the real-node tier needs " + String.join(", ", missing) + "; " + INSTALL_HINT);
        }
        if (!"root".equals(System.getProperty("user.name"))) {
            throw new ControlPlaneMissingException("the real-node tier runs containerd and a kubelet, which need root; "
                    + "run the tests as root (CI does)");
        }
        if (!Files.isDirectory(Path.of("/sys/fs/cgroup/memory")) && !Files.exists(Path.of("/sys/fs/cgroup/cgroup.controllers"))) {
            throw new ControlPlaneMissingException("no cgroup hierarchy with a memory controller under /sys/fs/cgroup: "
                    + "the kubelet cannot run pods here");
        }
    }

    static Path onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin").split(":")) {
            Path p = Path.of(dir, tool);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        for (String dir : List.of("/usr/sbin", "/sbin")) {
            Path p = Path.of(dir, tool);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }
}
