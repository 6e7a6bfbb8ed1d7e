package dev.liveupdate.luo.abi;

import com.sun.jna.Structure;
import com.sun.jna.Structure.FieldOrder;

/** A GET_STATE (0xBA00), 8 bytes: 0 size, 4 state (out). */
@FieldOrder({"size", "state"})
public class AGetState extends Structure {
    public int size;
    public int state;

    public AGetState() {
        super(ALIGN_DEFAULT);
        size = size();
    }
}
