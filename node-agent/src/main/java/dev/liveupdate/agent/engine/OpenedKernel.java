package dev.liveupdate.agent.engine;

/**
 * A plan's kernel image (and initrd) opened beneath the kernel directories and hashed through those fds; held from the
 * check to kexec_file_load, which gets these very fds. The owner closes it.
 *
 * @param initrdFd     -1 without an initrd
 * @param initrdSha256 null without an initrd
 */
record OpenedKernel(int imageFd, String imageSha256, int initrdFd, String initrdSha256) {
    boolean hasInitrd() {
        return initrdFd >= 0;
    }
}
