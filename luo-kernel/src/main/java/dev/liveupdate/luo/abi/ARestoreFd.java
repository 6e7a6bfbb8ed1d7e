package dev.liveupdate.luo.abi;

import com.sun.jna.Structure;
import com.sun.jna.Structure.FieldOrder;

/** A RESTORE_FD (0xBA42), 16 bytes: 0 size, 4 fd (out), 8 token. */
@FieldOrder({"size", "fd", "token"})
public class ARestoreFd extends Structure {
    public int size;
    public int fd;
    public long token;

    public ARestoreFd() {
        super(ALIGN_DEFAULT);
        size = size();
    }
}
