package dev.liveupdate.luo.abi;

import com.sun.jna.Structure;
import com.sun.jna.Structure.FieldOrder;

/** B FINISH (0xBA42), 8 bytes: 0 size, 4 reserved. */
@FieldOrder({"size", "reserved"})
public class BFinish extends Structure {
    public int size;
    public int reserved;

    public BFinish() {
        super(ALIGN_DEFAULT);
        size = size();
    }
}
