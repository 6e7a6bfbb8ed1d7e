package dev.liveupdate.luo.sim;

/**
 * An incoming file of a retrieved session. The first restore creates a new memfd with the handed
 * over bytes and keeps it ({@code fd}); later restores return another fd to the same file.
 */
final class RestorableFile {
    final IncomingFile source;
    int fd = -1;

    RestorableFile(IncomingFile source) {
        this.source = source;
    }
}
