package dev.liveupdate.client.protocol;

/** Error codes of the workload socket protocol (documented in docs/workload-socket.md). */
public enum ErrorCode {
    /** The bytes were not a frame (bad length or truncated); the agent closes the connection. */
    BAD_FRAME,
    /** The frame body is not a JSON object. */
    BAD_JSON,
    /** The request's "v" is not a version this agent speaks. */
    UNSUPPORTED_VERSION,
    /** The request's "op" is unknown. */
    UNKNOWN_OP,
    /** A field is missing or has the wrong type. */
    BAD_REQUEST,
    /** The session name does not fit both ABI generations (1-55 bytes of [A-Za-z0-9._-], starting alphanumeric). */
    INVALID_SESSION_NAME,
    /** The token is not an integer in 0..2^64-1. */
    INVALID_TOKEN,
    /** preserve needs exactly one file descriptor sent with SCM_RIGHTS. */
    MISSING_FD,
    /** The request carried file descriptors it does not take (they were closed). */
    UNEXPECTED_FD,
    /** The session already holds a file under this token. */
    DUPLICATE_TOKEN,
    /** The agent holds nothing under this session name. */
    UNKNOWN_SESSION,
    /** The session holds no file under this token. */
    UNKNOWN_TOKEN,
    /** The file is not a memfd: the agent takes only memfds (the kind the kernel preserves), e.g. not /dev/null or a tmpfs file. */
    NOT_PRESERVABLE,
    /** The session is sealed for a kexec in progress: no files can be added or removed now. */
    SESSION_SEALED,
    /** The session has no room for another file (ENOSPC: 128 files per session on 6.19 kernels; far more on 7.x). */
    SESSION_FULL,
    /**
     * Generation B: the kernel already holds this file (the same open file, a dup of it or the same memfd) in a session,
     * under another token or in another session, or it is a file retrieved after the update and not yet released by
     * FINISH. A file is preserved once.
     */
    FILE_IN_USE,
    /** The file was lost (its session died with an earlier agent process, or it was discarded). */
    LOST,
    /** The peer's uid/gid is not allowed to use this socket, or the agent cannot tell which pod it is in. */
    PERMISSION_DENIED,
    /**
     * The session/token belongs to another workload (pod): only the workload that handed a file over may retrieve,
     * discard or replace it (safety invariant 10). Choose another token.
     */
    NOT_OWNER,
    /** The workload (pod) already holds as many files, or as many bytes, as the agent allows one owner. */
    QUOTA_EXCEEDED,
    /** The agent is busy (too many connections, in all or of this workload); retry. */
    BUSY,
    /** The kernel refused an operation; the message carries the errno. */
    KERNEL_ERROR,
    /** A bug in the agent; the message says what. */
    INTERNAL;

    /** Parses a code from the wire; codes a newer agent invents come back as {@link #INTERNAL} (the raw text stays in the exception). */
    public static ErrorCode fromWire(String code) {
        if (code != null) {
            for (ErrorCode c : values()) {
                if (c.name().equals(code)) {
                    return c;
                }
            }
        }
        return INTERNAL;
    }
}
