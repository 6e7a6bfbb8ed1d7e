package dev.liveupdate.luo.abi;

import com.sun.jna.Structure;
import com.sun.jna.Structure.FieldOrder;

/** B CREATE_SESSION (0xBA00), 72 bytes: 0 size, 4 fd (out), 8 name[64]. */
@FieldOrder({"size", "fd", "name"})
public class BCreateSession extends Structure {
    public int size;
    public int fd;
    public byte[] name = new byte[LuoAbi.B.SESSION_NAME_LENGTH];

    public BCreateSession() {
        super(ALIGN_DEFAULT);
        size = size();
    }
}
