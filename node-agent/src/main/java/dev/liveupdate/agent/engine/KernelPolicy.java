package dev.liveupdate.agent.engine;

import dev.liveupdate.api.v1alpha1.KernelSpec;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The admin's kernel policy, checked again by the agent right before it loads (invariant 11): the chart's
 * ValidatingAdmissionPolicy (templates/kernel-policy.yaml) holds plans to it, but an instruction does not pass through
 * that policy (it is written into a LiveUpdateNode), a plan stored before the policy changed is not re-checked, and the
 * policy may be switched off. The chart passes the same values to the agent (liveupdate.agent.kernel-policy.*); the
 * defaults here are the chart's defaults.
 *
 * @param requireChecksums    the plan must name sha256 (and initrdSha256 with an initrd): the node loads only named bytes
 * @param allowedSha256       when not empty, the only image digests (of the bytes actually opened) the node loads
 * @param allowedInitrdSha256 when not empty, the only initrd digests the node loads
 * @param allowedCmdlines     exact command lines a plan may set (none: a plan may not set one, the running one is reused)
 * @param allowAnyCmdline     a plan may set any command line (the always-forbidden parameters aside)
 */
public record KernelPolicy(boolean requireChecksums, Set<String> allowedSha256, Set<String> allowedInitrdSha256, List<String> allowedCmdlines,
                           boolean allowAnyCmdline) {
    /** The chart's defaults: checksums required, any digest, no command line of the plan's own. */
    public static final KernelPolicy DEFAULT = new KernelPolicy(true, Set.of(), Set.of(), List.of(), false);

    /**
     * Parameters no policy allows: each runs other code as the first process (init=, rdinit=, systemd.run*) or weakens
     * the kernel's lockdown and module checks. Compared as the kernel compares parameter names (dashes equal
     * underscores, surrounding quotes stripped).
     */
    static final List<String> FORBIDDEN = List.of("init", "rdinit", "systemd.run", "lockdown", "module.sig_enforce", "modprobe.blacklist");

    public KernelPolicy {
        allowedSha256 = lower(allowedSha256);
        allowedInitrdSha256 = lower(allowedInitrdSha256);
        allowedCmdlines = List.copyOf(allowedCmdlines);
    }

    private static Set<String> lower(Set<String> digests) {
        return digests.stream().map(d -> d.trim().toLowerCase(Locale.ROOT)).filter(d -> !d.isEmpty()).collect(Collectors.toUnmodifiableSet());
    }

    /** Before anything is opened: the plan names its checksums and its command line is one the admin allows. */
    void checkPlan(KernelSpec kernel) throws KernelRefused {
        if (requireChecksums && (blank(kernel.getSha256()) || kernel.getInitrd() != null && blank(kernel.getInitrdSha256()))) {
            throw new KernelRefused("ChecksumRequired", "the kernel policy requires the plan to give spec.kernel.sha256"
                    + (kernel.getInitrd() == null ? "" : " and spec.kernel.initrdSha256") + " (kernelPolicy.requireChecksums): the node loads only"
                    + " bytes the plan names; add the digest of " + kernel.getImage() + (kernel.getInitrd() == null ? "" : " and " + kernel.getInitrd()));
        }
        String cmdline = kernel.getCmdline();
        if (cmdline == null) {
            return; // the node reuses the command line it runs with: what the admin booted it with
        }
        Optional<String> forbidden = forbiddenParameter(cmdline);
        if (forbidden.isPresent()) {
            throw new KernelRefused("CmdlineNotAllowed", "the plan's kernel command line sets " + forbidden.get() + ", which would run other code"
                    + " as the first process or weaken the kernel's lockdown (init=, rdinit=, systemd.run*, lockdown=, module.sig_enforce=,"
                    + " modprobe.blacklist=); no policy allows it: " + cmdline);
        }
        if (!allowAnyCmdline && !allowedCmdlines.contains(cmdline)) {
            throw new KernelRefused("CmdlineNotAllowed", allowedCmdlines.isEmpty()
                    ? "the kernel policy does not let plans set a command line (kernelPolicy.cmdline); leave spec.kernel.cmdline out to reuse"
                    + " the running one: " + cmdline
                    : "the plan's kernel command line is not one the admin allows (kernelPolicy.cmdline.allowed): " + cmdline);
        }
    }

    /** After the files were opened and hashed through their fds: the digests of what will be loaded are allowed. */
    void checkDigests(KernelSpec kernel, OpenedKernel opened) throws KernelRefused {
        if (!allowedSha256.isEmpty() && !allowedSha256.contains(opened.imageSha256())) {
            throw new KernelRefused("KernelNotAllowed", "the kernel image " + kernel.getImage() + " has sha256 " + opened.imageSha256()
                    + ", not one the admin allows (kernelPolicy.allowedSha256); the node will not load it");
        }
        if (opened.hasInitrd() && !allowedInitrdSha256.isEmpty() && !allowedInitrdSha256.contains(opened.initrdSha256())) {
            throw new KernelRefused("KernelNotAllowed", "the initrd " + kernel.getInitrd() + " has sha256 " + opened.initrdSha256()
                    + ", not one the admin allows (kernelPolicy.allowedInitrdSha256); the node will not load it");
        }
    }

    /** The first always-forbidden parameter the command line sets, as written. */
    static Optional<String> forbiddenParameter(String cmdline) {
        for (String word : cmdline.trim().split("\\s+")) {
            if (word.equals("--")) {
                break; // what follows goes to init as arguments, not to the kernel as parameters
            }
            String param = word.replace("\"", "");
            int eq = param.indexOf('=');
            String name = (eq < 0 ? param : param.substring(0, eq)).replace('-', '_');
            if (eq < 0) {
                continue;
            }
            for (String f : FORBIDDEN) {
                if (name.equals(f.replace('-', '_')) || f.equals("systemd.run") && name.startsWith("systemd.run")) {
                    return Optional.of(word);
                }
            }
        }
        return Optional.empty();
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
