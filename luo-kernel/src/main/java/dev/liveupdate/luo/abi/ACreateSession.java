package dev.liveupdate.luo.abi;

import com.sun.jna.Structure;
import com.sun.jna.Structure.FieldOrder;

/** A CREATE_SESSION (0xBA02), 64 bytes: 0 size, 4 fd (out), 8 name[56]. */
@FieldOrder({"size", "fd", "name"})
public class ACreateSession extends Structure {
    public int size;
    public int fd;
    public byte[] name = new byte[LuoAbi.A.SESSION_NAME_LENGTH];

    public ACreateSession() {
        super(ALIGN_DEFAULT);
        size = size();
    }
}
