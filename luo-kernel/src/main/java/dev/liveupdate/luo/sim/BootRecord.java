package dev.liveupdate.luo.sim;

import dev.liveupdate.luo.Generation;
import java.util.Properties;

/** The immutable facts of one simulated boot (boot.properties). */
record BootRecord(Generation generation, String bootId, String release, String cmdline, long liveUpdateNumber,
        boolean fromLiveUpdate) {

    Properties toProperties() {
        Properties p = new Properties();
        p.setProperty("generation", generation.name());
        p.setProperty("boot_id", bootId);
        p.setProperty("release", release);
        p.setProperty("cmdline", cmdline);
        p.setProperty("liveupdate_number", Long.toString(liveUpdateNumber));
        p.setProperty("boot_kind", fromLiveUpdate ? "kexec-handover" : "cold");
        return p;
    }

    static BootRecord fromProperties(Properties p) {
        return new BootRecord(Generation.valueOf(p.getProperty("generation")), p.getProperty("boot_id"),
                p.getProperty("release"), p.getProperty("cmdline"),
                Long.parseLong(p.getProperty("liveupdate_number", "0")),
                "kexec-handover".equals(p.getProperty("boot_kind")));
    }
}
