package dev.liveupdate.luo.abi;

import com.sun.jna.Structure;
import com.sun.jna.Structure.FieldOrder;

/** B RETRIEVE_FD (0xBA41), 16 bytes: 0 size, 4 fd (out), 8 token. */
@FieldOrder({"size", "fd", "token"})
public class BRetrieveFd extends Structure {
    public int size;
    public int fd;
    public long token;

    public BRetrieveFd() {
        super(ALIGN_DEFAULT);
        size = size();
    }
}
