package dev.liveupdate.luo.abi;

import com.sun.jna.Structure;
import com.sun.jna.Structure.FieldOrder;

/** A SET_EVENT (0xBA01), 8 bytes: 0 size, 4 event. */
@FieldOrder({"size", "event"})
public class ASetEvent extends Structure {
    public int size;
    public int event;

    public ASetEvent() {
        super(ALIGN_DEFAULT);
        size = size();
    }
}
