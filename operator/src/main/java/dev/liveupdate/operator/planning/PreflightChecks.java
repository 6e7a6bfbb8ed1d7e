package dev.liveupdate.operator.planning;

import dev.liveupdate.api.v1alpha1.KernelDirectory;
import dev.liveupdate.api.v1alpha1.KernelImageFile;
import dev.liveupdate.api.v1alpha1.LockdownMode;
import dev.liveupdate.api.v1alpha1.PreflightFacts;
import dev.liveupdate.api.v1alpha1.Registration;
import dev.liveupdate.api.v1alpha1.StageRequest;
import dev.liveupdate.api.v1alpha1.StagedArtifact;
import dev.liveupdate.api.v1alpha1.StagingState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One node's preflight: the plan's needs against the facts its agent reports, as findings. Blocking findings are
 * those that make the node's prepare fail for certain (the agent would refuse or miss the kernel, or find another
 * checksum; the kernel would refuse every kexec load); warnings are what may still work (a signed image under
 * lockdown, a file the bounded inventory did not list, little space left, workloads that have not registered their
 * files yet but may once the preparation starts).
 */
final class PreflightChecks {
    static final String NOT_REPORTED = "PreflightNotReported";
    static final String KERNEL_OUTSIDE_DIRS = "KernelOutsideKernelDirs";
    static final String KERNEL_MISSING = "KernelMissing";
    static final String KERNEL_CHECKSUM_MISMATCH = "KernelChecksumMismatch";
    static final String KERNEL_NOT_LISTED = "KernelNotListed";
    static final String INITRD_MISSING = "InitrdMissing";
    static final String INITRD_CHECKSUM_MISMATCH = "InitrdChecksumMismatch";
    static final String KEXEC_DISABLED = "KexecDisabled";
    static final String KEXEC_SIGNATURE_REQUIRED = "KexecSignatureRequired";
    static final String LOW_KERNEL_DIR_SPACE = "LowKernelDirSpace";
    static final String SESSIONS_NOT_REGISTERED = "SessionsNotRegistered";
    static final String KERNEL_NOT_STAGED = "KernelNotStaged";
    /** Room for one more kernel and initrd (what staging a kernel will need), below which free space is a warning. */
    static final long LOW_SPACE_BYTES = 256L << 20;

    /** One problem on one node. */
    record Finding(String reason, boolean blocking, String message) {
    }

    private PreflightChecks() {
    }

    static List<Finding> of(PreflightNeeds needs, PreflightFacts facts) {
        return of(needs, facts, null);
    }

    /** @param staging the agent's status.staging (a URL kernel counts as present once staged, named by its checksum) */
    static List<Finding> of(PreflightNeeds needs, PreflightFacts facts, List<StagedArtifact> staging) {
        List<Finding> out = new ArrayList<>(2);
        if (facts == null) {
            out.add(new Finding(NOT_REPORTED, false, "the agent reports no preflight inventory (an older agent?): "
                    + "the node is not checked, its prepare step finds what is missing"));
            return out;
        }
        if (needs.staged()) {
            staged(needs.stage(), staging, out);
        } else {
            kernelFile(needs.image(), needs.imageSha256(), "kernel image", facts, KERNEL_MISSING, KERNEL_CHECKSUM_MISMATCH, out);
            kernelFile(needs.initrd(), needs.initrdSha256(), "initrd", facts, INITRD_MISSING, INITRD_CHECKSUM_MISMATCH, out);
        }
        if (Boolean.TRUE.equals(facts.getKexecLoadDisabled())) {
            out.add(new Finding(KEXEC_DISABLED, true, "kernel.kexec_load_disabled is 1: this boot refuses every kexec "
                    + "load (it cannot be set back to 0 without a reboot)"));
        }
        LockdownMode lockdown = facts.getLockdown();
        boolean lockedDown = lockdown == LockdownMode.Integrity || lockdown == LockdownMode.Confidentiality;
        if (lockedDown || Boolean.TRUE.equals(facts.getKexecSignatureEnforced())) {
            out.add(new Finding(KEXEC_SIGNATURE_REQUIRED, false, (lockedDown ? "lockdown=" + lockdown
                    : "CONFIG_KEXEC_SIG_FORCE=y") + ": kexec_file_load takes only an image signed by a key the kernel "
                    + "trusts; an unsigned image fails the prepare step"));
        }
        sessions(needs, facts, out);
        return out;
    }

    private static void kernelFile(String path, String sha256, String what, PreflightFacts facts, String missing,
            String mismatch, List<Finding> out) {
        if (path == null) {
            return;
        }
        KernelDirectory dir = directoryOf(path, facts.getKernelDirs());
        if (dir == null) {
            out.add(new Finding(KERNEL_OUTSIDE_DIRS, true, "the " + what + " " + path + " is outside the agent's "
                    + "kernel directories " + dirNames(facts) + "; the agent refuses it (agent setting liveupdate.agent.kernel-dirs)"));
            return;
        }
        if (dir.getFreeBytes() != null && dir.getFreeBytes() < LOW_SPACE_BYTES) {
            out.add(new Finding(LOW_KERNEL_DIR_SPACE, false, "only " + (dir.getFreeBytes() >> 20) + " MiB free in "
                    + dir.getPath()));
        }
        KernelImageFile file = listed(path, facts.getKernelFiles());
        if (file == null) {
            boolean fullyListed = isDirectlyIn(path, dir.getPath())
                    && (facts.getKernelFilesOmitted() == null || facts.getKernelFilesOmitted() == 0);
            out.add(fullyListed
                    ? new Finding(missing, true, "the " + what + " " + path + " is not on the node; copy it there")
                    : new Finding(KERNEL_NOT_LISTED, false, "the " + what + " " + path + " is not among the files the "
                            + "agent lists (it lists the newest 16 directly in each kernel directory); not checked"));
            return;
        }
        if (sha256 != null && file.getSha256() != null && !sha256.equals(file.getSha256())) {
            out.add(new Finding(mismatch, true, "the " + what + " " + path + " has sha256 " + file.getSha256()
                    + ", the plan wants " + sha256));
        }
    }

    /** Blocking until every artifact is staged (its file is named by the checksum the plan wants); why not, if known. */
    private static void staged(List<StageRequest> stage, List<StagedArtifact> staging, List<Finding> out) {
        for (StageRequest r : stage) {
            StagedArtifact a = KernelStagingRequests.find(staging, r.getSha256());
            if (a != null && a.getState() == StagingState.Staged) {
                continue;
            }
            String why = a == null ? "not staged yet (asked, or waiting for its turn)"
                    : a.getState() == StagingState.Downloading ? "downloading" + (a.getBytes() == null || a.getBytes() == 0 ? "" : " (resumed at " + a.getBytes() + " bytes)")
                    : "staging failed: " + a.getReason() + ": " + a.getMessage();
            out.add(new Finding(KERNEL_NOT_STAGED, true, r.getUrl() + " (sha256 " + r.getSha256().substring(0, 12) + "...) " + why));
            return; // one finding per node: the first artifact missing
        }
    }

    private static void sessions(PreflightNeeds needs, PreflightFacts facts, List<Finding> out) {
        if (needs.sessions().isEmpty()) {
            return;
        }
        Map<String, Integer> registered = new HashMap<>();
        if (facts.getRegistrations() != null) {
            for (Registration r : facts.getRegistrations()) {
                registered.merge(r.getSession(), r.getFiles() == null ? 0 : r.getFiles(), Integer::sum);
            }
        }
        StringBuilder missing = null;
        for (PreflightNeeds.SessionNeed s : needs.sessions()) {
            int have = registered.getOrDefault(s.name(), 0);
            if (have < s.minFiles()) {
                missing = missing == null ? new StringBuilder() : missing.append(", ");
                missing.append(s.name()).append(" (").append(have).append(" of ").append(s.minFiles()).append(')');
            }
        }
        if (missing != null) {
            // A warning: a workload may hand its files over only once it learns of the update (the simulation's do so
            // after a restore), and the prepare step waits for them up to timeouts.prepare.
            out.add(new Finding(SESSIONS_NOT_REGISTERED, false, "workloads have not registered enough files for the "
                    + "required session(s) " + missing + " yet; unless they do before timeouts.prepare runs out, the "
                    + "prepare step fails"));
        }
    }

    /** The innermost kernel directory holding {@code path}, as the agent chooses it. */
    private static KernelDirectory directoryOf(String path, List<KernelDirectory> dirs) {
        KernelDirectory best = null;
        if (dirs != null) {
            for (KernelDirectory d : dirs) {
                String p = d.getPath();
                if (p != null && (path.startsWith(p.endsWith("/") ? p : p + "/"))
                        && (best == null || p.length() > best.getPath().length())) {
                    best = d;
                }
            }
        }
        return best;
    }

    private static boolean isDirectlyIn(String path, String dir) {
        int slash = path.lastIndexOf('/');
        String parent = slash <= 0 ? "/" : path.substring(0, slash);
        return parent.equals(dir.endsWith("/") && dir.length() > 1 ? dir.substring(0, dir.length() - 1) : dir);
    }

    private static KernelImageFile listed(String path, List<KernelImageFile> files) {
        if (files != null) {
            for (KernelImageFile f : files) {
                if (path.equals(f.getPath())) {
                    return f;
                }
            }
        }
        return null;
    }

    private static List<String> dirNames(PreflightFacts facts) {
        return facts.getKernelDirs() == null ? List.of()
                : facts.getKernelDirs().stream().map(KernelDirectory::getPath).toList();
    }
}
