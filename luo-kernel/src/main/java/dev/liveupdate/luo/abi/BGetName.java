package dev.liveupdate.luo.abi;

import com.sun.jna.Structure;
import com.sun.jna.Structure.FieldOrder;

/** B GET_NAME (0xBA43, Linux 7.x), 72 bytes: 0 size, 4 reserved, 8 name[64] (out). */
@FieldOrder({"size", "reserved", "name"})
public class BGetName extends Structure {
    public int size;
    public int reserved;
    public byte[] name = new byte[LuoAbi.B.SESSION_NAME_LENGTH];

    public BGetName() {
        super(ALIGN_DEFAULT);
        size = size();
    }
}
