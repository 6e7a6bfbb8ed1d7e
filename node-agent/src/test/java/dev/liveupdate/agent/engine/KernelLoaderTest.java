package dev.liveupdate.agent.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.liveupdate.api.v1alpha1.KernelSpec;
import dev.liveupdate.luo.sys.Errno;
import dev.liveupdate.luo.sys.ErrnoException;
import dev.liveupdate.luo.sys.ForwardingKernelCalls;
import dev.liveupdate.luo.sys.KernelCalls;
import dev.liveupdate.luo.sys.LibcKernelCalls;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Safety invariant 11 on real files of this host: the agent opens the plan's kernel files beneath its kernel
 * directories only (openat2), hashes them through the fd and loads that same fd.
 */
class KernelLoaderTest {
    @TempDir
    Path temp;

    /** The host as the agent sees it (host-root), with kernel directories /boot and /var/lib/kernels. */
    private Path host;
    private Path boot;
    private Recording calls;

    /** The real libc, except that kexec_file_load records the bytes it would load (read from the fds, as the kernel does). */
    static class Recording extends ForwardingKernelCalls {
        final Set<Integer> open = new HashSet<>();
        byte[] loadedImage;
        byte[] loadedInitrd;
        Long loadFlags;

        Recording() {
            super(new LibcKernelCalls());
        }

        @Override
        public int openat2(int dirfd, String path, int flags, long resolve) {
            assertThat(resolve).isEqualTo(KernelDirectories.RESOLVE_RULES);
            int fd = delegate.openat2(dirfd, path, flags, resolve);
            open.add(fd);
            return fd;
        }

        @Override
        public void close(int fd) {
            open.remove(fd);
            delegate.close(fd);
        }

        @Override
        public void kexecFileLoad(int kernelFd, int initrdFd, String cmdline, long flags) {
            loadedImage = readAll(kernelFd);
            loadedInitrd = initrdFd < 0 ? null : readAll(initrdFd);
            loadFlags = flags;
        }

        private byte[] readAll(int fd) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[4096];
            long offset = 0;
            int n;
            while ((n = delegate.pread(fd, buf, buf.length, offset)) > 0) {
                out.write(buf, 0, n);
                offset += n;
            }
            return out.toByteArray();
        }
    }

    @BeforeEach
    void layout() throws Exception {
        host = Files.createDirectories(temp.resolve("host"));
        boot = Files.createDirectories(host.resolve("boot"));
        Files.createDirectories(host.resolve("etc"));
        Files.writeString(host.resolve("etc/shadow"), "root:secret");
        Files.writeString(boot.resolve("vmlinuz-7.3"), "kernel A");
        Files.writeString(boot.resolve("initrd-7.3"), "initrd A");
        calls = new Recording();
    }

    private KernelLoader loader(KernelCalls with) {
        // Only confinement and checksums here; the admin's policy has its own test (KernelPolicyTest).
        return new KernelLoader(with, new KernelDirectories(with, host, List.of(Path.of("/boot"), Path.of("/var/lib/kernels"))),
                new KernelPolicy(false, java.util.Set.of(), java.util.Set.of(), List.of(), true));
    }

    private static KernelSpec kernel(String image, String initrd) {
        KernelSpec k = new KernelSpec();
        k.setRelease("7.3");
        k.setImage(image);
        k.setInitrd(initrd);
        return k;
    }

    private Failure refused(String image) {
        return refused(kernel(image, null));
    }

    private Failure refused(KernelSpec k) {
        KernelRefused e = catchThrowableOfType(() -> loader(calls).open(k), KernelRefused.class);
        assertThat(e).as("refused: %s", k.getImage()).isNotNull();
        assertThat(calls.open).as("nothing left open").isEmpty();
        return e.failure();
    }

    private static String sha256(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void loadsTheBytesItHashedEvenWhenTheFileIsSwappedAfterTheCheck() throws Exception {
        KernelLoader loader = loader(calls);
        KernelSpec k = kernel("/boot/vmlinuz-7.3", "/boot/initrd-7.3");
        OpenedKernel opened = loader.open(k);
        assertThat(opened.imageSha256()).isEqualTo(sha256("kernel A"));
        assertThat(opened.initrdSha256()).isEqualTo(sha256("initrd A"));

        // Someone replaces both files on the host (a new file renamed over the old path) between the check and the load.
        for (String name : List.of("vmlinuz-7.3", "initrd-7.3")) {
            Path next = Files.writeString(boot.resolve(name + ".new"), "EVIL " + name);
            Files.move(next, boot.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
        loader.load(opened, k, "console=ttyS0");
        assertThat(new String(calls.loadedImage, StandardCharsets.UTF_8)).isEqualTo("kernel A");
        assertThat(new String(calls.loadedInitrd, StandardCharsets.UTF_8)).isEqualTo("initrd A");
        assertThat(calls.loadFlags).isZero();
        loader.close(opened);
        assertThat(calls.open).isEmpty();
    }

    @Test
    void aFileRewrittenInPlaceAfterTheCheckIsNotLoaded() throws Exception {
        KernelLoader loader = loader(calls);
        KernelSpec k = kernel("/boot/vmlinuz-7.3", null);
        OpenedKernel opened = loader.open(k);
        Files.writeString(boot.resolve("vmlinuz-7.3"), "kernel B"); // same inode, new bytes
        KernelRefused e = catchThrowableOfType(() -> loader.load(opened, k, ""), KernelRefused.class);
        assertThat(e.failure().reason()).isEqualTo("ImageChangedAfterCheck");
        assertThat(e.failure().message()).contains("/boot/vmlinuz-7.3", sha256("kernel A"), sha256("kernel B"));
        assertThat(calls.loadedImage).as("kexec_file_load never called").isNull();
    }

    @Test
    void withoutAnInitrdTheLoadSaysSo() throws Exception {
        KernelLoader loader = loader(calls);
        KernelSpec k = kernel("/boot/vmlinuz-7.3", null);
        OpenedKernel opened = loader.open(k);
        assertThat(opened.hasInitrd()).isFalse();
        loader.load(opened, k, "");
        assertThat(calls.loadedInitrd).isNull();
        assertThat(calls.loadFlags).isEqualTo(KernelCalls.KEXEC_FILE_NO_INITRAMFS);
    }

    @Test
    void aSymlinkIsNeverFollowedEvenOneThatStaysInside() throws Exception {
        Files.createSymbolicLink(boot.resolve("vmlinuz"), Path.of("vmlinuz-7.3"));
        Failure f = refused("/boot/vmlinuz");
        assertThat(f.reason()).isEqualTo("ImageSymlink");
        assertThat(f.message()).contains("/boot/vmlinuz", "symbolic link");

        Files.createSymbolicLink(boot.resolve("etc"), host.resolve("etc"));
        assertThat(refused("/boot/etc/shadow").reason()).isEqualTo("ImageSymlink");
    }

    @Test
    void dotAndDotDotSegmentsAreRefused() {
        Failure f = refused("/boot/../etc/shadow");
        assertThat(f.reason()).isEqualTo("ImageOutsideKernelDirs");
        assertThat(f.message()).contains("'..'");
        assertThat(refused("/boot/./vmlinuz-7.3").reason()).isEqualTo("ImageOutsideKernelDirs");
    }

    @Test
    void pathsOutsideTheKernelDirectoriesAreRefused() {
        Failure f = refused("/etc/shadow");
        assertThat(f.reason()).isEqualTo("ImageOutsideKernelDirs");
        assertThat(f.message()).contains("/etc/shadow", "/boot", "/var/lib/kernels");
        assertThat(refused("/bootleg/vmlinuz").reason()).as("a name prefix is not a directory").isEqualTo("ImageOutsideKernelDirs");
        assertThat(refused("boot/vmlinuz-7.3").reason()).as("relative").isEqualTo("ImageOutsideKernelDirs");
        assertThat(refused(kernel("/boot/vmlinuz-7.3", "/etc/shadow")).reason()).isEqualTo("InitrdOutsideKernelDirs");
    }

    @Test
    void missingFilesDirectoriesAndKernelDirsAreNotFound() throws Exception {
        assertThat(refused("/boot/vmlinuz-9.9").reason()).isEqualTo("ImageNotFound");
        Files.createDirectories(boot.resolve("grub"));
        assertThat(refused("/boot/grub").reason()).as("not a regular file").isEqualTo("ImageNotFound");
        assertThat(refused("/boot").reason()).isEqualTo("ImageNotFound");
        Failure f = refused("/var/lib/kernels/vmlinuz");
        assertThat(f.reason()).isEqualTo("ImageNotFound");
        assertThat(f.message()).contains("/var/lib/kernels/vmlinuz", "kernel directory /var/lib/kernels is missing");
        assertThat(refused(kernel("/boot/vmlinuz-7.3", "/boot/initrd-9.9")).reason()).isEqualTo("InitrdNotFound");
    }

    @Test
    void checksumsAreCheckedOnTheOpenedFileWhenThePlanGivesThem() throws Exception {
        KernelSpec k = kernel("/boot/vmlinuz-7.3", "/boot/initrd-7.3");
        k.setSha256(sha256("kernel A").toUpperCase());
        k.setInitrdSha256(sha256("initrd A"));
        loader(calls).close(loader(calls).open(k));
        k.setInitrdSha256("0".repeat(64));
        Failure f = refused(k);
        assertThat(f.reason()).isEqualTo("InitrdChecksumMismatch");
        assertThat(f.message()).contains(sha256("initrd A"));
    }

    @Test
    void withoutOpenat2TheAgentFailsClosed() {
        Recording noOpenat2 = new Recording() {
            @Override
            public int openat2(int dirfd, String path, int flags, long resolve) {
                throw new ErrnoException(Errno.ENOSYS, "openat2(" + path + ")");
            }
        };
        KernelRefused e = catchThrowableOfType(() -> loader(noOpenat2).open(kernel("/boot/vmlinuz-7.3", null)), KernelRefused.class);
        assertThat(e.failure().reason()).isEqualTo("KernelConfinementUnsupported");
        assertThat(e.failure().message()).contains("openat2", "5.6", "ENOSYS");
    }
}
