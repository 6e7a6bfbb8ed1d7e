package dev.liveupdate.e2e.realnode;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.SeccompProfile;
import io.fabric8.kubernetes.api.model.SeccompProfileBuilder;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A pod in the agent's image, with the agent's capabilities (none but CAP_SYS_BOOT), that calls the syscalls the
 * seccomp profile decides on with harmless arguments (flags and magic numbers the kernel rejects, so nothing is
 * loaded or rebooted) and prints each one's errno: EPERM (1) from a kernel without the capability check failing
 * means the filter refused it. Perl (perl-base, in the image's Debian base) makes the raw syscalls; x86_64 numbers.
 */
final class SeccompProbe {
    static final String SCRIPT = String.join("",
            "for my $c (['kexec_load',246,0,0,0,2147483648],['kexec_file_load',320,-1,-1,0,0,2147483648],",
            "['reboot',169,0,0,0,0],['unshare',272,0]) { my ($n,$nr,@a)=@$c; $!=0; my $r=syscall($nr,@a);",
            " printf \"%s errno=%d\\n\",$n,($r<0?$!+0:0) } print \"PROBE DONE\\n\"");

    private SeccompProbe() {
    }

    static Pod pod(String name, String image, SeccompProfile profile) {
        return new PodBuilder()
                .withNewMetadata().withName(name).withNamespace("default").endMetadata()
                .withNewSpec()
                .withRestartPolicy("Never")
                .withTerminationGracePeriodSeconds(1L)
                .addNewContainer()
                .withName("probe")
                .withImage(image)
                .withImagePullPolicy("IfNotPresent")
                .withCommand(List.of("perl", "-e", SCRIPT))
                .withNewSecurityContext()
                .withRunAsUser(0L)
                .withPrivileged(false)
                .withAllowPrivilegeEscalation(false)
                .withNewCapabilities().withDrop("ALL").withAdd("SYS_BOOT").endCapabilities()
                .withSeccompProfile(profile)
                .endSecurityContext()
                .endContainer()
                .endSpec()
                .build();
    }

    static SeccompProfile localhost(String path) {
        return new SeccompProfileBuilder().withType("Localhost").withLocalhostProfile(path).build();
    }

    static SeccompProfile unconfined() {
        return new SeccompProfileBuilder().withType("Unconfined").build();
    }

    /** syscall name -> errno (0: it returned without error) from the probe's log. */
    static Map<String, Integer> errnos(String log) {
        Map<String, Integer> out = new HashMap<>();
        log.lines().map(l -> l.split(" errno=")).filter(p -> p.length == 2)
                .forEach(p -> out.put(p[0].trim(), Integer.parseInt(p[1].trim())));
        return out;
    }
}
