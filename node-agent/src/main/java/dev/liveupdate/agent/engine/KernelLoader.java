package dev.liveupdate.agent.engine;

import dev.liveupdate.api.v1alpha1.KernelSpec;
import dev.liveupdate.luo.sys.ErrnoException;
import dev.liveupdate.luo.sys.KernelCalls;

/**
 * Checks the target kernel and stages it with kexec_file_load (or unstages it). The image and initrd are opened once,
 * beneath the kernel directories ({@link KernelDirectories}), hashed through their fds and loaded through the same fds:
 * a file swapped on disk after the check (a new file renamed over it) is never what gets loaded. Right before the load
 * the fds are hashed again, so a file rewritten in place since the check is refused too.
 *
 * <p>Checksums: the plan's sha256/initrdSha256 are checked when given; the admin's {@link KernelPolicy} decides whether
 * they must be given, which digests (of what was opened, not what the plan says) and which command lines may be loaded.
 */
final class KernelLoader {
    private final KernelCalls calls;
    private final KernelDirectories dirs;
    private final KernelPolicy policy;
    private final java.nio.file.Path stagingDir;

    KernelLoader(KernelCalls calls, KernelDirectories dirs, KernelPolicy policy) {
        this(calls, dirs, policy, null);
    }

    /** @param stagingDir where URL kernels are staged (a load directory too); null: URL kernels are refused */
    KernelLoader(KernelCalls calls, KernelDirectories dirs, KernelPolicy policy, java.nio.file.Path stagingDir) {
        this.calls = calls;
        this.dirs = dirs;
        this.policy = policy;
        this.stagingDir = stagingDir;
    }

    /**
     * Opens and checks the plan's image (and initrd): the kernel policy allows the plan (checksums named, command line),
     * regular files beneath the kernel directories, matching their checksums, digests the policy allows.
     */
    OpenedKernel open(KernelSpec planKernel) throws KernelRefused {
        KernelSpec kernel = StagedKernelFiles.files(planKernel, stagingDir);
        policy.checkPlan(kernel);
        OpenedKernel opened;
        try {
            opened = openChecked(kernel);
        } catch (KernelRefused e) {
            throw planKernel.fromUrl() && e.failure().reason().endsWith("NotFound") ? new KernelRefused("KernelNotStaged",
                    e.failure().message() + "; the kernel of " + planKernel.getUrl() + " is not in the staging directory (see status.staging)") : e;
        }
        try {
            policy.checkDigests(kernel, opened);
        } catch (KernelRefused e) {
            close(opened);
            throw e;
        }
        return opened;
    }

    private OpenedKernel openChecked(KernelSpec kernel) throws KernelRefused {
        int image = dirs.open(kernel.getImage(), "Image", "kernel image");
        try {
            String imageSha = digest(image, "Image", "kernel image", kernel.getImage(), kernel.getSha256());
            if (kernel.getInitrd() == null) {
                return new OpenedKernel(image, imageSha, -1, null);
            }
            int initrd = dirs.open(kernel.getInitrd(), "Initrd", "initrd");
            try {
                return new OpenedKernel(image, imageSha, initrd, digest(initrd, "Initrd", "initrd", kernel.getInitrd(), kernel.getInitrdSha256()));
            } catch (KernelRefused | RuntimeException e) {
                closeQuietly(initrd);
                throw e;
            }
        } catch (KernelRefused | RuntimeException e) {
            closeQuietly(image);
            throw e;
        }
    }

    /** kexec_file_load of the opened files with the plan's command line, or the running one when the plan gives none. */
    void load(OpenedKernel opened, KernelSpec planKernel, String runningCmdline) throws KernelRefused {
        KernelSpec kernel = StagedKernelFiles.files(planKernel, stagingDir);
        unchanged(opened.imageFd(), opened.imageSha256(), "Image", "kernel image", kernel.getImage());
        if (opened.hasInitrd()) {
            unchanged(opened.initrdFd(), opened.initrdSha256(), "Initrd", "initrd", kernel.getInitrd());
        }
        String cmdline = kernel.getCmdline() != null ? kernel.getCmdline() : runningCmdline;
        calls.kexecFileLoad(opened.imageFd(), opened.initrdFd(), cmdline, opened.hasInitrd() ? 0 : KernelCalls.KEXEC_FILE_NO_INITRAMFS);
    }

    void close(OpenedKernel opened) {
        closeQuietly(opened.imageFd());
        if (opened.hasInitrd()) {
            closeQuietly(opened.initrdFd());
        }
    }

    /** kexec_file_load(KEXEC_FILE_UNLOAD): forget the staged kernel, so no later reboot(KEXEC) can use it. */
    void unload() {
        calls.kexecFileLoad(-1, -1, "", KernelCalls.KEXEC_FILE_UNLOAD);
    }

    private String digest(int fd, String reasonPrefix, String what, String planPath, String expectedSha) throws KernelRefused {
        String actual;
        try {
            actual = FdSha256.of(calls, fd);
        } catch (ErrnoException e) {
            throw new KernelRefused(reasonPrefix + "Unreadable", "cannot read the " + what + " " + planPath + ": " + e.getMessage());
        }
        if (expectedSha != null && !expectedSha.isBlank() && !actual.equalsIgnoreCase(expectedSha.trim())) {
            throw new KernelRefused(reasonPrefix + "ChecksumMismatch", "the " + what + " " + planPath + " has sha256 " + actual
                    + " but the plan expects " + expectedSha + "; the node will not load it");
        }
        return actual;
    }

    private void unchanged(int fd, String checkedSha, String reasonPrefix, String what, String planPath) throws KernelRefused {
        String now = digest(fd, reasonPrefix, what, planPath, null);
        if (!now.equals(checkedSha)) {
            throw new KernelRefused(reasonPrefix + "ChangedAfterCheck", "the " + what + " " + planPath + " was rewritten after the agent checked it"
                    + " (sha256 " + checkedSha + " then, " + now + " now); the node will not load it");
        }
    }

    private void closeQuietly(int fd) {
        try {
            calls.close(fd);
        } catch (ErrnoException ignored) {
            // the fd is gone either way
        }
    }
}
