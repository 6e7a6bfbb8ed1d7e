package dev.liveupdate.agent.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.liveupdate.api.v1alpha1.KernelSpec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Invariant 11: the agent loads only what the admin's kernel policy allows, whatever the instruction says. */
class KernelPolicyTest {
    private static final String SHA_A = sha256("kernel A");
    private static final String SHA_I = sha256("initrd A");

    @TempDir
    Path temp;

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static KernelSpec kernel(String sha, String initrd, String initrdSha, String cmdline) {
        KernelSpec k = new KernelSpec();
        k.setRelease("7.3");
        k.setImage("/boot/vmlinuz-7.3");
        k.setSha256(sha);
        k.setInitrd(initrd);
        k.setInitrdSha256(initrdSha);
        k.setCmdline(cmdline);
        return k;
    }

    private static String refusedReason(KernelPolicy p, KernelSpec k) {
        KernelRefused e = catchThrowableOfType(() -> p.checkPlan(k), KernelRefused.class);
        return e == null ? null : e.failure().reason() + ": " + e.failure().message();
    }

    private static KernelPolicy allowAny() {
        return new KernelPolicy(true, Set.of(), Set.of(), List.of(), true);
    }

    @Test
    void theDefaultIsTheChartsDefault() {
        assertThat(KernelPolicy.DEFAULT.requireChecksums()).isTrue();
        assertThat(KernelPolicy.DEFAULT.allowAnyCmdline()).isFalse();
        assertThat(KernelPolicy.DEFAULT.allowedCmdlines()).isEmpty();
        assertThat(KernelPolicy.DEFAULT.allowedSha256()).isEmpty();
        assertThat(new EngineSettings("n", Path.of("/dev/liveupdate"), Path.of("/s"), dev.liveupdate.api.v1alpha1.RebootStrategy.Direct, "v")
                .kernelPolicy()).isEqualTo(KernelPolicy.DEFAULT);
    }

    @Test
    void checksumsRequiredForImageAndInitrd() {
        assertThat(refusedReason(KernelPolicy.DEFAULT, kernel(null, null, null, null))).startsWith("ChecksumRequired: ");
        assertThat(refusedReason(KernelPolicy.DEFAULT, kernel(" ", null, null, null))).startsWith("ChecksumRequired: ");
        assertThat(refusedReason(KernelPolicy.DEFAULT, kernel(SHA_A, "/boot/initrd-7.3", null, null)))
                .startsWith("ChecksumRequired: ").contains("initrdSha256");
        assertThat(refusedReason(KernelPolicy.DEFAULT, kernel(SHA_A, "/boot/initrd-7.3", SHA_I, null))).isNull();
        KernelPolicy optional = new KernelPolicy(false, Set.of(), Set.of(), List.of(), false);
        assertThat(refusedReason(optional, kernel(null, null, null, null))).isNull();
    }

    @Test
    void aCommandLineOnlyFromTheAllowListUnlessAnyIsAllowed() {
        assertThat(refusedReason(KernelPolicy.DEFAULT, kernel(SHA_A, null, null, "console=ttyS0")))
                .startsWith("CmdlineNotAllowed: ").contains("does not let plans set a command line");
        KernelPolicy listed = new KernelPolicy(true, Set.of(), Set.of(), List.of("console=ttyS0,115200 quiet"), false);
        assertThat(refusedReason(listed, kernel(SHA_A, null, null, "console=ttyS0,115200 quiet"))).isNull();
        assertThat(refusedReason(listed, kernel(SHA_A, null, null, "console=ttyS0,115200"))).startsWith("CmdlineNotAllowed: ")
                .contains("kernelPolicy.cmdline.allowed");
        assertThat(refusedReason(allowAny(), kernel(SHA_A, null, null, "anything goes=1"))).isNull();
        // No command line: the node reuses the running one, whatever the policy lists.
        assertThat(refusedReason(KernelPolicy.DEFAULT, kernel(SHA_A, null, null, null))).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"init=/bin/sh", "quiet rdinit=/evil", "systemd.run=/x", "systemd.run_success_action=none", "lockdown=none",
            "module.sig_enforce=0", "module.sig-enforce=0", "modprobe.blacklist=lockdown", "\"init=/bin/sh\"", "ro  init=/x"})
    void parametersThatHandTheMachineToOtherCodeAreNeverAllowed(String cmdline) {
        assertThat(refusedReason(allowAny(), kernel(SHA_A, null, null, cmdline))).startsWith("CmdlineNotAllowed: ").contains("no policy allows it");
        KernelPolicy listed = new KernelPolicy(true, Set.of(), Set.of(), List.of(cmdline), false);
        assertThat(refusedReason(listed, kernel(SHA_A, null, null, cmdline))).startsWith("CmdlineNotAllowed: ");
    }

    @Test
    void harmlessLookalikesAndInitArgumentsAreNotForbidden() {
        assertThat(KernelPolicy.forbiddenParameter("initcall_debug=1 rd.init_debug console=ttyS0 -- init=/x")).isEmpty();
    }

    @Test
    void digestsOfTheOpenedBytesMustBeOnTheAllowListWhenItIsGiven() throws Exception {
        KernelPolicy p = new KernelPolicy(true, Set.of(SHA_A.toUpperCase()), Set.of(SHA_I), List.of(), false);
        KernelSpec k = kernel(SHA_A, "/boot/initrd-7.3", SHA_I, null);
        assertThatCode(() -> p.checkDigests(k, new OpenedKernel(3, SHA_A, 4, SHA_I))).doesNotThrowAnyException();
        KernelRefused image = catchThrowableOfType(() -> p.checkDigests(k, new OpenedKernel(3, sha256("kernel B"), 4, SHA_I)), KernelRefused.class);
        assertThat(image.failure().reason()).isEqualTo("KernelNotAllowed");
        assertThat(image.failure().message()).contains("/boot/vmlinuz-7.3", sha256("kernel B"), "kernelPolicy.allowedSha256");
        KernelRefused initrd = catchThrowableOfType(() -> p.checkDigests(k, new OpenedKernel(3, SHA_A, 4, sha256("initrd B"))), KernelRefused.class);
        assertThat(initrd.failure().reason()).isEqualTo("KernelNotAllowed");
        assertThat(initrd.failure().message()).contains("kernelPolicy.allowedInitrdSha256");
    }

    @Test
    void theLoaderChecksThePolicyAndClosesWhatItOpened() throws Exception {
        Path host = Files.createDirectories(temp.resolve("host"));
        Path boot = Files.createDirectories(host.resolve("boot"));
        Files.writeString(boot.resolve("vmlinuz-7.3"), "kernel B");
        KernelLoaderTest.Recording calls = new KernelLoaderTest.Recording();
        KernelPolicy onlyA = new KernelPolicy(true, Set.of(SHA_A), Set.of(), List.of(), false);
        KernelLoader loader = new KernelLoader(calls, new KernelDirectories(calls, host, List.of(Path.of("/boot"))), onlyA);

        KernelRefused e = catchThrowableOfType(() -> loader.open(kernel(sha256("kernel B"), null, null, null)), KernelRefused.class);
        assertThat(e.failure().reason()).isEqualTo("KernelNotAllowed");
        assertThat(calls.open).as("nothing left open").isEmpty();
        e = catchThrowableOfType(() -> loader.open(kernel(null, null, null, null)), KernelRefused.class);
        assertThat(e.failure().reason()).isEqualTo("ChecksumRequired");
        e = catchThrowableOfType(() -> loader.open(kernel(sha256("kernel B"), null, null, "init=/bin/sh")), KernelRefused.class);
        assertThat(e.failure().reason()).isEqualTo("CmdlineNotAllowed");
        assertThat(calls.open).isEmpty();
        assertThat(calls.loadedImage).isNull();
    }
}
