package dev.liveupdate.api.v1alpha1;

/** How the agent performs the kexec: Direct (kexec_file_load, sync, reboot(KEXEC)), Simulated (the project's kernel simulator), Systemd (reserved: hand fds to systemd's fd store, then systemctl kexec). */
public enum RebootStrategy {
    Direct, Simulated, Systemd
}
