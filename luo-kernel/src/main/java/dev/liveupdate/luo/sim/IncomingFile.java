package dev.liveupdate.luo.sim;

import java.nio.file.Path;

/**
 * One memfd handed over by the previous kernel: its bytes in {@code data}, size, file position and
 * the seals it had when it was preserved.
 */
record IncomingFile(long token, long size, long position, String memfdName, int seals, Path data) {}
