package dev.liveupdate.agent.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Everything an operator of the DaemonSet can set; documented in docs/node-agent.md. */
@ConfigMapping(prefix = "liveupdate.agent")
public interface AgentConfig {

    /** This node (the Node object's name). The DaemonSet sets NODE_NAME from the downward API spec.nodeName. */
    @WithName("node-name")
    @WithDefault("${NODE_NAME:}")
    String nodeName();

    /**
     * The agent's own pod UID (the DaemonSet sets POD_UID from the downward API metadata.uid). It tells the agent that
     * the kubelet's pod directories it reads are the real ones (its own pod is there); empty outside a pod.
     */
    @WithName("pod-uid")
    @WithDefault("${POD_UID:}")
    Optional<String> podUid();

    /** Path of the LUO device. For the simulator, /dev/liveupdate is accepted as an alias of its device node. */
    @WithName("device-path")
    @WithDefault("/dev/liveupdate")
    Path devicePath();

    /** direct (real kernel: JNA open/ioctl/kexec_file_load/reboot) or simulated (the project's kernel simulator). */
    @WithName("reboot-strategy")
    @WithDefault("direct")
    String rebootStrategy();

    /** Host directory for the agent's durable records (update in progress, restore progress, reboot ledger). */
    @WithName("state-dir")
    @WithDefault("/var/lib/liveupdate")
    Path stateDir();

    /**
     * Where the host's filesystem is visible to the agent: each kernel directory is reached at host-root + dir (e.g.
     * /host when the DaemonSet mounts the host's /boot at /host/boot; "/" when the agent sees the host directly).
     */
    @WithName("host-root")
    @WithDefault("/")
    Path hostRoot();

    /**
     * Host directories (absolute, as plans name them) holding the kernel images and initrds the agent may load. A plan's
     * kernel.image and kernel.initrd must lie beneath one of them; they are opened there with openat2 (no "..", no
     * symlinks), hashed and loaded through that one fd (safety invariant 11). The chart passes agent.kernelDirs.
     */
    @WithName("kernel-dirs")
    @WithDefault("/boot")
    List<Path> kernelDirs();

    /**
     * Restore first (docs/node-agent.md): after a kexec, open the device, retrieve the sessions and serve the workload
     * socket before Quarkus and the API server. false starts API first (the order before issue #13): for measuring the
     * difference, or as a way out should the early start misbehave on some host. Standalone mode ignores it.
     */
    @WithName("restore-first")
    @WithDefault("true")
    boolean restoreFirst();

    /** How often the engine re-checks timeouts and retries the device. */
    @WithDefault("1s")
    Duration tick();

    /** Field manager of the agent's server-side applies to status. */
    @WithName("field-manager")
    @WithDefault("liveupdate-agent")
    String fieldManager();

    /**
     * The admin's kernel policy (the chart's kernelPolicy values, also enforced on plans by its admission policy), checked
     * again by the agent right before it loads a kernel (safety invariant 11). Defaults equal the chart's.
     */
    @WithName("kernel-policy")
    KernelPolicyConfig kernelPolicy();

    interface KernelPolicyConfig {
        /** Plans must give kernel.sha256 (and initrdSha256 with an initrd). */
        @WithName("require-checksums")
        @WithDefault("true")
        boolean requireChecksums();

        /** When given, the only kernel image SHA-256 digests the agent loads (of the bytes it opened). */
        @WithName("allowed-sha256")
        Optional<List<String>> allowedSha256();

        /** When given, the only initrd SHA-256 digests the agent loads. */
        @WithName("allowed-initrd-sha256")
        Optional<List<String>> allowedInitrdSha256();

        /** Exact command lines a plan may set (commas inside one escaped as \,); none: plans may not set one. */
        @WithName("allowed-cmdlines")
        Optional<List<String>> allowedCmdlines();

        /** Plans may set any command line (init=, rdinit=, systemd.run*, lockdown=, ... are refused regardless). */
        @WithName("allow-any-cmdline")
        @WithDefault("false")
        boolean allowAnyCmdline();
    }

    /** Kernels downloaded from a plan's kernel.url (docs/node-agent.md, "Staging"). */
    Staging staging();

    interface Staging {
        /**
         * Host directory the agent stages URL kernels in (named by their SHA-256) and loads them from, reached at
         * host-root + dir; only the agent writes there, and only staged kernels.
         */
        @WithDefault("/var/lib/liveupdate/kernels")
        Path dir();

        /**
         * URL prefixes the agent downloads kernels from (e.g. https://mirror.example.com/kernels/); none: URL kernel
         * sources are refused (KernelSourceNotAllowed). The admin's half of the trust model: plans name the URL and the
         * checksum, the admin names the mirrors.
         */
        @WithName("allowed-url-prefixes")
        Optional<List<String>> allowedUrlPrefixes();

        /** The largest kernel image or initrd the agent stages (bytes). */
        @WithName("max-bytes")
        @WithDefault("536870912")
        long maxBytes();

        /** TCP and TLS connect timeout. */
        @WithName("connect-timeout")
        @WithDefault("10s")
        Duration connectTimeout();

        /** A download that receives no byte for this long stops (Stalled) and resumes on the next try. */
        @WithName("stall-timeout")
        @WithDefault("30s")
        Duration stallTimeout();

        /** Pause before a failed artifact is tried again. */
        @WithName("retry-interval")
        @WithDefault("1m")
        Duration retryInterval();

        /** A PEM file of extra CA certificates trusted for the mirrors (internal CAs), besides the JDK's. */
        @WithName("ca-bundle")
        Optional<Path> caBundle();
    }

    Simulator simulator();

    Socket socket();

    Standalone standalone();

    /**
     * Standalone mode, for a node without an API server (the real-kernel test in a QEMU guest, a lab
     * machine): the node's LiveUpdateNode is read from a local file and the status is written to
     * one; the step engine, the kernel, the socket and the local state are the same as in a cluster.
     */
    interface Standalone {
        /** A LiveUpdateNode (YAML or JSON; spec.instruction is what counts), re-read every tick. Set = standalone mode. */
        @WithName("instruction-file")
        Optional<Path> instructionFile();

        /** Where the status goes (a LiveUpdateNode JSON with metadata.name and status); default status.json next to the instruction file. */
        @WithName("status-file")
        Optional<Path> statusFile();
    }

    interface Simulator {
        /** The simulated machine's state directory (required with reboot-strategy simulated). */
        @WithName("state-dir")
        Optional<Path> stateDir();

        /** A or B: the simulated device's ABI generation. */
        @WithDefault("B")
        String generation();

        /** Release of a freshly cold-booted simulated machine. */
        @WithName("initial-release")
        Optional<String> initialRelease();

        /** false simulates a node without LUO (opening the device gives ENOENT). */
        @WithName("luo-available")
        @WithDefault("true")
        boolean luoAvailable();

        /**
         * Fault injection for demos and tests (the sandbox's --fault kill-agent): the agent process dies at once,
         * like a SIGKILL, right after the API server stored a status reporting this phase. Only honoured with
         * reboot-strategy simulated; a real node never reads it.
         */
        @WithName("halt-after-phase")
        Optional<String> haltAfterPhase();
    }

    interface Socket {
        /** Where workloads connect (a hostPath shared with them). */
        @WithDefault("/run/liveupdate/agent.sock")
        Path path();

        /** File mode of the socket, as rwxrwxrwx text. */
        @WithDefault("rw-rw----")
        String mode();

        /** Group owning the socket file (optional); give the workloads' group access together with allowed-gids. */
        Optional<String> group();

        /** Peer uids allowed (SO_PEERCRED). */
        @WithName("allowed-uids")
        @WithDefault("0")
        List<Long> allowedUids();

        /** Peer gids allowed (primary or supplementary). */
        @WithName("allowed-gids")
        Optional<List<Long>> allowedGids();

        /** Concurrent connections served; more get a BUSY reply. */
        @WithName("max-connections")
        @WithDefault("16")
        int maxConnections();

        /** Concurrent connections of one workload (a pod, or a host process by uid and cgroup); more get a BUSY reply. */
        @WithName("max-connections-per-owner")
        @WithDefault("2")
        int maxConnectionsPerOwner();

        /** Files one workload may hold at once, in any state (1..128: its status must fit one reply). */
        @WithName("max-files-per-owner")
        @WithDefault("64")
        int maxFilesPerOwner();

        /** Bytes (current memfd sizes) one workload may hold; 0: no limit (memfd pages are charged to the pod's memory cgroup). */
        @WithName("max-bytes-per-owner")
        @WithDefault("0")
        long maxBytesPerOwner();

        /**
         * How long a pod must be gone (its kubelet pod directory removed) before the agent releases its files. Files
         * of a plan's kernel session or of an unfinished restore are never released this way.
         */
        @WithName("release-grace")
        @WithDefault("10m")
        Duration releaseGrace();

        /** The kubelet's pod directories (<kubelet root-dir>/pods), read to tell whether a pod still exists on this node. */
        @WithName("kubelet-pods-dir")
        @WithDefault("/var/lib/kubelet/pods")
        Path kubeletPodsDir();

        /** How often the agent checks that the socket file is still the one it bound (and binds again if not). */
        @WithName("check-interval")
        @WithDefault("2s")
        Duration checkInterval();

        /** A connection silent this long is closed. */
        @WithName("idle-timeout")
        @WithDefault("60s")
        Duration idleTimeout();
    }
}
