package dev.liveupdate.luo.sys;

/**
 * What {@link KernelCalls#fstat} tells about the file behind an fd. {@code dev} is glibc's {@code dev_t} encoding of
 * the device (as {@code stat(2)} and Java's {@code unix:dev} report it), so (dev, ino) names one file: two fds with the
 * same pair are the same file (a dup, or the same memfd passed twice).
 */
public record FileStat(long dev, long ino, int mode, long size) {
    private static final int S_IFMT = 0170000;
    private static final int S_IFREG = 0100000;

    public boolean regularFile() {
        return (mode & S_IFMT) == S_IFREG;
    }

    /** Whether both describe the same file (same device and inode). */
    public boolean sameFile(FileStat other) {
        return other != null && dev == other.dev && ino == other.ino;
    }

    /** glibc's makedev(major, minor): the dev_t stat(2) reports. */
    static long makedev(long major, long minor) {
        return ((major & 0xfffff000L) << 32) | ((major & 0xfffL) << 8) | ((minor & 0xffffff00L) << 12) | (minor & 0xffL);
    }
}
