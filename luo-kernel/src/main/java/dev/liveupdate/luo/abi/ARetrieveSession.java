package dev.liveupdate.luo.abi;

import com.sun.jna.Structure;
import com.sun.jna.Structure.FieldOrder;

/** A RETRIEVE_SESSION (0xBA03), 72 bytes: 0 size, 4 fd (out), 8 name[64] (kernel compares 56). */
@FieldOrder({"size", "fd", "name"})
public class ARetrieveSession extends Structure {
    public int size;
    public int fd;
    public byte[] name = new byte[LuoAbi.A.RETRIEVE_NAME_FIELD];

    public ARetrieveSession() {
        super(ALIGN_DEFAULT);
        size = size();
    }
}
