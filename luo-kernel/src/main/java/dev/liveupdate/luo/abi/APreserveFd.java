package dev.liveupdate.luo.abi;

import com.sun.jna.Structure;
import com.sun.jna.Structure.FieldOrder;

/** A PRESERVE_FD (0xBA40), 16 bytes: 0 size, 4 fd, 8 token (aligned u64). */
@FieldOrder({"size", "fd", "token"})
public class APreserveFd extends Structure {
    public int size;
    public int fd;
    public long token;

    public APreserveFd() {
        super(ALIGN_DEFAULT);
        size = size();
    }
}
