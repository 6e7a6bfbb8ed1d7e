package dev.liveupdate.luo.abi;

import com.sun.jna.Structure;
import com.sun.jna.Structure.FieldOrder;

/** B PRESERVE_FD (0xBA40), 16 bytes: 0 size, 4 fd, 8 token. */
@FieldOrder({"size", "fd", "token"})
public class BPreserveFd extends Structure {
    public int size;
    public int fd;
    public long token;

    public BPreserveFd() {
        super(ALIGN_DEFAULT);
        size = size();
    }
}
