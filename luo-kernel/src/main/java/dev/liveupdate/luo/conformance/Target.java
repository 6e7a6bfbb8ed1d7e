package dev.liveupdate.luo.conformance;

import dev.liveupdate.luo.sys.HostInfo;
import dev.liveupdate.luo.sys.KernelCalls;
import java.nio.file.Path;
import java.util.List;

/**
 * What the scenarios run against: a KernelCalls backend, its device path, its HostInfo, and the
 * command-line arguments that make a child JVM open the same backend (for the two-process tests).
 */
public record Target(String description, KernelCalls calls, Path devicePath, HostInfo hostInfo,
        List<String> backendArgs, KexecImageSource kexecImages) {

    /** Provides the image that stage 1 kexecs into, and the release it will report. */
    public interface KexecImageSource {
        KexecImage prepare(Path handoffDir, String currentRelease);
    }

    /** A kernel to load: image, optional initrd, cmdline, and the release expected after the kexec. */
    public record KexecImage(Path image, Path initrd, String cmdline, String expectedRelease) {}
}
