package dev.liveupdate.operator.planning;

import static org.assertj.core.api.Assertions.assertThat;

import dev.liveupdate.api.v1alpha1.KernelDirectory;
import dev.liveupdate.api.v1alpha1.KernelImageFile;
import dev.liveupdate.api.v1alpha1.LockdownMode;
import dev.liveupdate.api.v1alpha1.PreflightFacts;
import dev.liveupdate.api.v1alpha1.PreflightPolicy;
import dev.liveupdate.api.v1alpha1.Registration;
import java.util.List;
import org.junit.jupiter.api.Test;

class PreflightChecksTest {
    private static final String IMAGE = "/boot/vmlinuz-7.2.0";
    private static final String SHA = "c".repeat(64);

    private static PreflightNeeds needs(String sha, List<PreflightNeeds.SessionNeed> sessions) {
        return new PreflightNeeds(PreflightPolicy.Halt, IMAGE, sha, null, null, sessions);
    }

    private static PreflightFacts facts() {
        PreflightFacts f = new PreflightFacts();
        f.setKernelDirs(List.of(new KernelDirectory("/boot", 8L << 30)));
        f.setKernelFiles(List.of(new KernelImageFile(IMAGE, 10L, SHA)));
        f.setLockdown(LockdownMode.None);
        return f;
    }

    private static List<String> reasons(PreflightNeeds n, PreflightFacts f) {
        return PreflightChecks.of(n, f).stream().map(x -> x.reason() + (x.blocking() ? "!" : "")).toList();
    }

    @Test
    void aNodeWithTheKernelAndNoPolicyPasses() {
        assertThat(reasons(needs(SHA, List.of()), facts())).isEmpty();
    }

    @Test
    void anAgentWithoutPreflightFactsIsAWarningOnly() {
        assertThat(reasons(needs(SHA, List.of()), null)).containsExactly(PreflightChecks.NOT_REPORTED);
    }

    @Test
    void kernelMissingOutsideOrUnlistedOrWithAnotherChecksum() {
        PreflightFacts f = facts();
        f.setKernelFiles(List.of());
        assertThat(reasons(needs(null, List.of()), f)).containsExactly(PreflightChecks.KERNEL_MISSING + "!");
        f.setKernelFilesOmitted(4);
        assertThat(reasons(needs(null, List.of()), f)).as("the bounded list may have left it out")
                .containsExactly(PreflightChecks.KERNEL_NOT_LISTED);
        PreflightFacts other = facts();
        other.setKernelDirs(List.of(new KernelDirectory("/var/lib/kernels", 1L << 40)));
        assertThat(reasons(needs(null, List.of()), other)).containsExactly(PreflightChecks.KERNEL_OUTSIDE_DIRS + "!");
        assertThat(reasons(needs("d".repeat(64), List.of()), facts())).containsExactly(PreflightChecks.KERNEL_CHECKSUM_MISMATCH + "!");
        PreflightFacts unhashed = facts();
        unhashed.setKernelFiles(List.of(new KernelImageFile(IMAGE, 10L, null)));
        assertThat(reasons(needs(SHA, List.of()), unhashed)).as("not hashed yet: the prepare step checks").isEmpty();
    }

    @Test
    void aKernelInASubdirectoryIsNotListedAndNotMissing() {
        PreflightFacts f = facts();
        PreflightNeeds n = new PreflightNeeds(PreflightPolicy.Halt, "/boot/efi/vmlinuz", null, null, null, List.of());
        assertThat(reasons(n, f)).containsExactly(PreflightChecks.KERNEL_NOT_LISTED);
    }

    @Test
    void kexecDisabledBlocksLockdownAndSignatureEnforcementWarn() {
        PreflightFacts f = facts();
        f.setKexecLoadDisabled(true);
        assertThat(reasons(needs(SHA, List.of()), f)).containsExactly(PreflightChecks.KEXEC_DISABLED + "!");
        for (LockdownMode m : List.of(LockdownMode.Integrity, LockdownMode.Confidentiality)) {
            PreflightFacts locked = facts();
            locked.setLockdown(m);
            assertThat(reasons(needs(SHA, List.of()), locked)).containsExactly(PreflightChecks.KEXEC_SIGNATURE_REQUIRED);
        }
        PreflightFacts forced = facts();
        forced.setKexecSignatureEnforced(true);
        assertThat(PreflightChecks.of(needs(SHA, List.of()), forced).get(0).message()).contains("CONFIG_KEXEC_SIG_FORCE=y");
        PreflightFacts unknown = facts();
        unknown.setLockdown(LockdownMode.Unknown);
        assertThat(reasons(needs(SHA, List.of()), unknown)).isEmpty();
    }

    @Test
    void lowSpaceInTheKernelDirectoryWarns() {
        PreflightFacts f = facts();
        f.setKernelDirs(List.of(new KernelDirectory("/boot", 10L << 20)));
        assertThat(reasons(needs(SHA, List.of()), f)).containsExactly(PreflightChecks.LOW_KERNEL_DIR_SPACE);
    }

    @Test
    void requiredSessionsNeedTheirFilesRegistered() {
        PreflightFacts f = facts();
        Registration vm = new Registration();
        vm.setSession("vm");
        vm.setFiles(2);
        f.setRegistrations(List.of(vm));
        List<PreflightNeeds.SessionNeed> sessions = List.of(new PreflightNeeds.SessionNeed("vm", 2),
                new PreflightNeeds.SessionNeed("db", 1));
        List<PreflightChecks.Finding> out = PreflightChecks.of(needs(SHA, sessions), f);
        assertThat(out).singleElement().satisfies(x -> {
            assertThat(x.reason()).isEqualTo(PreflightChecks.SESSIONS_NOT_REGISTERED);
            assertThat(x.blocking()).as("workloads may register once the preparation starts").isFalse();
            assertThat(x.message()).contains("db (0 of 1)").doesNotContain("vm (");
        });
    }
}
