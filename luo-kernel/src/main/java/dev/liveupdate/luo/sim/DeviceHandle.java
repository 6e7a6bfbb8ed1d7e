package dev.liveupdate.luo.sim;

/** The open simulated device file: holds the exclusivity lock while any fd refers to it. */
final class DeviceHandle {
    final DeviceLock lock;
    int refs;

    DeviceHandle(DeviceLock lock) {
        this.lock = lock;
    }
}
