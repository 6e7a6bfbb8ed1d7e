package dev.liveupdate.luo.abi;

/**
 * Request numbers and sizes of both /dev/liveupdate generations, from docs/luo-kernel-abi.md. All
 * requests are {@code _IO(0xBA, nr)} = {@code 0xBA00 | nr} (no direction or size bits). Checked
 * against C compiled by gcc in AbiLayoutTest.
 */
public final class LuoAbi {
    private LuoAbi() {}

    public static final int IOCTL_TYPE = 0xBA;

    /** {@code _IO(0xBA, nr)}. */
    public static long io(int nr) {
        return (IOCTL_TYPE << 8) | nr;
    }

    /** Generation A: the v4 series (the seed). */
    public static final class A {
        private A() {}

        public static final long GET_STATE = 0xBA00;
        public static final long SET_EVENT = 0xBA01;
        public static final long CREATE_SESSION = 0xBA02;
        public static final long RETRIEVE_SESSION = 0xBA03;
        public static final long PRESERVE_FD = 0xBA40;
        public static final long UNPRESERVE_FD = 0xBA41;
        public static final long RESTORE_FD = 0xBA42;
        public static final long SESSION_GET_STATE = 0xBA43;
        public static final long SESSION_SET_EVENT = 0xBA44;

        /** Session name length including the NUL for CREATE_SESSION. */
        public static final int SESSION_NAME_LENGTH = 56;
        /** The RETRIEVE_SESSION struct's name field (the kernel compares at most 56 bytes). */
        public static final int RETRIEVE_NAME_FIELD = 64;
    }

    /** Generation B: mainline 6.19 / 7.x. */
    public static final class B {
        private B() {}

        public static final long CREATE_SESSION = 0xBA00;
        public static final long RETRIEVE_SESSION = 0xBA01;
        public static final long PRESERVE_FD = 0xBA40;
        public static final long RETRIEVE_FD = 0xBA41;
        public static final long FINISH = 0xBA42;
        /** Linux 7.x only; 6.19 answers EINVAL (nr outside the table). */
        public static final long GET_NAME = 0xBA43;

        public static final int SESSION_NAME_LENGTH = 64;
        /** Files per session (ENOSPC past it). */
        public static final int MAX_FILES_PER_SESSION = 128;
        /** Session count limit in 6.19 (ENOMEM past it). */
        public static final int MAX_SESSIONS_6_19 = 819;
    }
}
