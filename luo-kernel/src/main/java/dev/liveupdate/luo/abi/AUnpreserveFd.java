package dev.liveupdate.luo.abi;

import com.sun.jna.Structure;
import com.sun.jna.Structure.FieldOrder;

/** A UNPRESERVE_FD (0xBA41), 16 bytes: 0 size, 4 reserved (must be 0, else EOPNOTSUPP), 8 token. */
@FieldOrder({"size", "reserved", "token"})
public class AUnpreserveFd extends Structure {
    public int size;
    public int reserved;
    public long token;

    public AUnpreserveFd() {
        super(ALIGN_DEFAULT);
        size = size();
    }
}
