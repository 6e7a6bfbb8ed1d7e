package dev.liveupdate.api.v1alpha1;

/** Which /dev/liveupdate ABI the node's kernel speaks: A (out-of-tree v4 series), B (Linux 6.19 and later), or None (no LUO device). */
public enum AbiGeneration {
    A, B, None
}
