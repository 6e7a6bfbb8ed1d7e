package dev.liveupdate.agent.engine;

import dev.liveupdate.api.v1alpha1.KernelSpec;
import dev.liveupdate.luo.sys.ErrnoException;
import dev.liveupdate.luo.sys.KernelCalls;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/** Checks the target kernel on the host and stages it with kexec_file_load (or unstages it). */
final class KernelLoader {
    private final KernelCalls calls;
    private final java.util.function.Function<String, Path> hostPath;

    KernelLoader(KernelCalls calls, java.util.function.Function<String, Path> hostPath) {
        this.calls = calls;
        this.hostPath = hostPath;
    }

    /** The image (and initrd) exist, are regular files and match their checksums when given. */
    Optional<Failure> check(KernelSpec kernel) {
        Optional<Failure> image = checkFile("Image", "kernel image", kernel.getImage(), kernel.getSha256());
        if (image.isPresent() || kernel.getInitrd() == null) {
            return image;
        }
        return checkFile("Initrd", "initrd", kernel.getInitrd(), kernel.getInitrdSha256());
    }

    private Optional<Failure> checkFile(String reasonPrefix, String what, String pathText, String expectedSha) {
        Path path = hostPath.apply(pathText);
        if (!Files.isRegularFile(path)) {
            return Optional.of(new Failure(reasonPrefix + "NotFound", "the " + what + " " + path
                    + " does not exist on this node (or is not a regular file); install it on the host before the plan reaches this node"));
        }
        if (expectedSha == null || expectedSha.isBlank()) {
            return Optional.empty();
        }
        String actual;
        try {
            actual = sha256(path);
        } catch (IOException e) {
            return Optional.of(new Failure(reasonPrefix + "Unreadable", "cannot read the " + what + " " + path + ": " + e.getMessage()));
        }
        if (!actual.equalsIgnoreCase(expectedSha)) {
            return Optional.of(new Failure(reasonPrefix + "ChecksumMismatch", "the " + what + " " + path + " has sha256 " + actual
                    + " but the plan expects " + expectedSha + "; the node will not load it"));
        }
        return Optional.empty();
    }

    /** kexec_file_load with the plan's command line, or the running one when the plan gives none. */
    void load(KernelSpec kernel, String runningCmdline) {
        String cmdline = kernel.getCmdline() != null ? kernel.getCmdline() : runningCmdline;
        int kernelFd = calls.open(hostPath.apply(kernel.getImage()).toString(), KernelCalls.O_RDONLY | KernelCalls.O_CLOEXEC);
        int initrdFd = -1;
        try {
            long flags = 0;
            if (kernel.getInitrd() != null) {
                initrdFd = calls.open(hostPath.apply(kernel.getInitrd()).toString(), KernelCalls.O_RDONLY | KernelCalls.O_CLOEXEC);
            } else {
                flags |= KernelCalls.KEXEC_FILE_NO_INITRAMFS;
            }
            calls.kexecFileLoad(kernelFd, initrdFd, cmdline, flags);
        } finally {
            closeQuietly(kernelFd);
            if (initrdFd >= 0) {
                closeQuietly(initrdFd);
            }
        }
    }

    /** kexec_file_load(KEXEC_FILE_UNLOAD): forget the staged kernel, so no later reboot(KEXEC) can use it. */
    void unload() {
        calls.kexecFileLoad(-1, -1, "", KernelCalls.KEXEC_FILE_UNLOAD);
    }

    private void closeQuietly(int fd) {
        try {
            calls.close(fd);
        } catch (ErrnoException ignored) {
            // the fd is gone either way
        }
    }

    static String sha256(Path path) throws IOException {
        try (InputStream in = new DigestInputStream(Files.newInputStream(path), MessageDigest.getInstance("SHA-256"))) {
            DigestInputStream din = (DigestInputStream) in;
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(din.getMessageDigest().digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
