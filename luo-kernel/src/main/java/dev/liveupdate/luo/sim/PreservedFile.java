package dev.liveupdate.luo.sim;

/**
 * An outgoing preserved file. {@code fd} is the simulator's own duplicate, standing for the
 * reference the kernel takes at PRESERVE_FD (the caller may close its fd).
 */
record PreservedFile(long token, int fd, String memfdName) {}
