package dev.liveupdate.luo.abi;

import com.sun.jna.Structure;
import com.sun.jna.Structure.FieldOrder;

/** B RETRIEVE_SESSION (0xBA01), 72 bytes: 0 size, 4 fd (out), 8 name[64]. */
@FieldOrder({"size", "fd", "name"})
public class BRetrieveSession extends Structure {
    public int size;
    public int fd;
    public byte[] name = new byte[LuoAbi.B.SESSION_NAME_LENGTH];

    public BRetrieveSession() {
        super(ALIGN_DEFAULT);
        size = size();
    }
}
