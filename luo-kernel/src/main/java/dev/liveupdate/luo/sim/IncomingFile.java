package dev.liveupdate.luo.sim;

import java.nio.file.Path;

/** One memfd handed over by the previous kernel: its bytes in {@code data}, size and file position. */
record IncomingFile(long token, long size, long position, String memfdName, Path data) {}
