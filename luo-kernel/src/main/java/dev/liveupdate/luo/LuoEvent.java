package dev.liveupdate.luo;

/** Generation-A events ({@code enum liveupdate_event}) for SET_EVENT and SESSION_SET_EVENT. */
public enum LuoEvent {
    /** NORMAL -> PREPARED. */
    PREPARE(0),
    /** Sent only by the kernel inside reboot(KEXEC); userspace gets EOPNOTSUPP (global). */
    FREEZE(1),
    /** UPDATED -> NORMAL; discards everything not retrieved/restored. */
    FINISH(2),
    /** PREPARED/FROZEN -> NORMAL. */
    CANCEL(3);

    private final int value;

    LuoEvent(int value) {
        this.value = value;
    }

    public int value() {
        return value;
    }
}
