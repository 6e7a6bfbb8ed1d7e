package dev.liveupdate.luo.abi;

import com.sun.jna.Structure;
import com.sun.jna.Structure.FieldOrder;

/** A SESSION_SET_EVENT (0xBA44), 8 bytes: 0 size, 4 event. */
@FieldOrder({"size", "event"})
public class ASessionSetEvent extends Structure {
    public int size;
    public int event;

    public ASessionSetEvent() {
        super(ALIGN_DEFAULT);
        size = size();
    }
}
