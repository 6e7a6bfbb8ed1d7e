package dev.liveupdate.api.v1alpha1;

/** Generation-A global LUO state as reported by GET_STATE (Undefined on generation B, which has no global state). */
public enum DeviceState {
    Undefined, Normal, Prepared, Frozen, Updated
}
