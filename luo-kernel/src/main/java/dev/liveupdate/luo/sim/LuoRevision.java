package dev.liveupdate.luo.sim;

import dev.liveupdate.luo.abi.LuoAbi;
import dev.liveupdate.luo.sys.Errno;

/**
 * Which upstream release of generation B the simulator behaves like, where releases differ:
 * limits and GET_NAME. Every other generation-B rule (direction checks, seals, frozen size, one
 * session per file, ...) was verified on 7.2.13 and applies to both, since no 6.19 kernel was at
 * hand to tell them apart (docs/real-kernel.md).
 */
public enum LuoRevision {
    /**
     * Linux 6.19 per the ABI document: 819 outgoing sessions (the 820th CREATE_SESSION gives
     * ENOMEM), 128 files per session (ENOSPC), no GET_NAME (EINVAL).
     */
    V6_19(LuoAbi.B.MAX_SESSIONS_6_19, Errno.ENOMEM, LuoAbi.B.MAX_FILES_PER_SESSION, Errno.ENOSPC, false),
    /**
     * Linux 7.x as verified on 7.2.13: sessions and files are serialized into KHO block sets that
     * grow on demand up to {@code KHO_MAX_BLOCKS} (10000) blocks of one 4 KiB page: 51 sessions
     * (80-byte entries) or 63 files (64-byte entries) per block, so the limits are 510000 outgoing
     * sessions and 630000 files per session, past which the block set refuses with ENOSPC. In
     * practice the process runs out of fds (EMFILE) or memory (ENOMEM) long before. GET_NAME exists.
     */
    V7_2(Kho.MAX_BLOCKS * ((Kho.BLOCK_BYTES - Kho.BLOCK_HEADER) / Kho.SESSION_ENTRY), Errno.ENOSPC,
            Kho.MAX_BLOCKS * ((Kho.BLOCK_BYTES - Kho.BLOCK_HEADER) / Kho.FILE_ENTRY), Errno.ENOSPC, true);

    private final int sessionLimit;
    private final Errno sessionLimitErrno;
    private final int filesPerSession;
    private final Errno filesLimitErrno;
    private final boolean getName;

    LuoRevision(int sessionLimit, Errno sessionLimitErrno, int filesPerSession, Errno filesLimitErrno, boolean getName) {
        this.sessionLimit = sessionLimit;
        this.sessionLimitErrno = sessionLimitErrno;
        this.filesPerSession = filesPerSession;
        this.filesLimitErrno = filesLimitErrno;
        this.getName = getName;
    }

    /** Outgoing sessions accepted; one more fails with {@link #sessionLimitErrno()}. */
    public int sessionLimit() {
        return sessionLimit;
    }

    public Errno sessionLimitErrno() {
        return sessionLimitErrno;
    }

    /** Files accepted per session; one more fails with {@link #filesLimitErrno()}. */
    public int filesPerSession() {
        return filesPerSession;
    }

    public Errno filesLimitErrno() {
        return filesLimitErrno;
    }

    public boolean getName() {
        return getName;
    }

    /** The revision a kernel release behaves like: before 7.0 is 6.19, 7.0 and later is 7.x. */
    public static LuoRevision forRelease(String release) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("^(\\d+)\\.(\\d+)").matcher(release == null ? "" : release);
        if (!m.find()) {
            return V7_2;
        }
        return Integer.parseInt(m.group(1)) < 7 ? V6_19 : V7_2;
    }

    /** Constants of kernel/liveupdate/kho_block.c, include/linux/kho/abi/{block,luo}.h (7.2). */
    private static final class Kho {
        static final int MAX_BLOCKS = 10_000;
        static final int BLOCK_BYTES = 4096;
        /** struct kho_block_header_ser: u64 next, u64 count. */
        static final int BLOCK_HEADER = 16;
        /** struct luo_session_ser: name[64] + luo_file_set_ser (u64 files, u64 count). */
        static final int SESSION_ENTRY = 80;
        /** struct luo_file_ser: compatible[48] + u64 data + u64 token. */
        static final int FILE_ENTRY = 64;
    }
}
