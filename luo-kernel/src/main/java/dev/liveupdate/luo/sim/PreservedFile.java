package dev.liveupdate.luo.sim;

/**
 * An outgoing preserved file. {@code fd} is the simulator's own duplicate, standing for the
 * reference the kernel takes at PRESERVE_FD (the caller may close its fd). {@code seals} are the
 * memfd's seals at PRESERVE_FD time (B carries them over; A: always 0). {@code inodeKey} is the
 * file's identity in the preserved-files registry (B; null for A).
 */
record PreservedFile(long token, int fd, String memfdName, int seals, String inodeKey) {
    PreservedFile(long token, int fd, String memfdName) {
        this(token, fd, memfdName, 0, null);
    }
}
