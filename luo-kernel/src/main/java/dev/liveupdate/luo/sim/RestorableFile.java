package dev.liveupdate.luo.sim;

/**
 * An incoming file of a retrieved session. The first restore creates a new memfd with the handed
 * over bytes and keeps it ({@code fd}); later restores return another fd to the same file. B: the
 * restored file is in the preserved-files registry under {@code inodeKey} until FINISH.
 */
final class RestorableFile {
    final IncomingFile source;
    int fd = -1;
    String inodeKey;

    RestorableFile(IncomingFile source) {
        this.source = source;
    }
}
