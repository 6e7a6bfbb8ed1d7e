package dev.liveupdate.luo.sim;

import java.util.List;

/** A session handed over by the previous kernel, as listed in incoming/manifest.properties. */
record IncomingSession(int index, String name, List<IncomingFile> files) {}
