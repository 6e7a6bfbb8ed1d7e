package dev.liveupdate.luo.abi;

import com.sun.jna.Structure;
import com.sun.jna.Structure.FieldOrder;

/** A SESSION_GET_STATE (0xBA43), 12 bytes: 0 size, 4 u8 incoming, 5 u8 reserved[3] (0), 8 state (out). */
@FieldOrder({"size", "incoming", "reserved", "state"})
public class ASessionGetState extends Structure {
    public int size;
    public byte incoming;
    public byte[] reserved = new byte[3];
    public int state;

    public ASessionGetState() {
        super(ALIGN_DEFAULT);
        size = size();
    }
}
