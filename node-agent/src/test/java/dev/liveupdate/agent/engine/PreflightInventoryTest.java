package dev.liveupdate.agent.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.liveupdate.api.v1alpha1.KernelImageFile;
import dev.liveupdate.api.v1alpha1.LockdownMode;
import dev.liveupdate.api.v1alpha1.PreflightFacts;
import dev.liveupdate.luo.Generation;
import dev.liveupdate.luo.sim.SimulatedKernel;
import dev.liveupdate.luo.sys.HostInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PreflightInventoryTest {
    @TempDir
    Path dir;

    private static final HostInfo UNLOCKED = new HostInfo() {
        @Override
        public String bootId() {
            return "b";
        }

        @Override
        public String kernelRelease() {
            return "7.2.0";
        }

        @Override
        public String kernelCmdline() {
            return "";
        }
    };

    @Test
    void listsKernelFilesWithTheirHashOneFilePerCallAndSkipsSymlinks() throws Exception {
        Path boot = Files.createDirectories(dir.resolve("boot"));
        Path a = Files.writeString(boot.resolve("vmlinuz-a"), "kernel a");
        Path b = Files.writeString(boot.resolve("vmlinuz-b"), "kernel b, newer");
        Files.setLastModifiedTime(a, FileTime.fromMillis(1_000_000));
        Files.setLastModifiedTime(b, FileTime.fromMillis(2_000_000));
        Files.createSymbolicLink(boot.resolve("vmlinuz"), b);
        Files.createDirectories(boot.resolve("grub"));
        MutableClock clock = new MutableClock();
        PreflightInventory inv = new PreflightInventory(Path.of("/"), List.of(boot), UNLOCKED, clock);

        PreflightFacts first = inv.facts(true);
        assertThat(first.getKernelFiles()).extracting(KernelImageFile::getPath)
                .containsExactly(b.toString(), a.toString()); // newest first, no symlink, no directory
        assertThat(first.getKernelFiles().get(0).getSha256()).isEqualTo(sha256("kernel b, newer"));
        assertThat(first.getKernelFiles().get(1).getSha256()).as("one file hashed per call").isNull();
        assertThat(first.getKernelFiles().get(0).getSizeBytes()).isEqualTo(15L);
        assertThat(first.getKernelDirs()).singleElement().satisfies(d -> {
            assertThat(d.getPath()).isEqualTo(boot.toString());
            assertThat(d.getFreeBytes()).isPositive();
        });
        assertThat(first.getLockdown()).isEqualTo(LockdownMode.Unknown);
        assertThat(first.getKexecSignatureEnforced()).isNull();

        assertThat(inv.facts(false).getKernelFiles().get(1).getSha256()).as("no hashing while busy").isNull();
        assertThat(inv.facts(true).getKernelFiles().get(1).getSha256()).isEqualTo(sha256("kernel a"));
    }

    @Test
    void aChangedFileIsSeenAtTheNextRescanAndHashedAgain() throws Exception {
        Path boot = Files.createDirectories(dir.resolve("boot"));
        Path a = Files.writeString(boot.resolve("vmlinuz-a"), "old");
        MutableClock clock = new MutableClock();
        PreflightInventory inv = new PreflightInventory(Path.of("/"), List.of(boot), UNLOCKED, clock);
        assertThat(inv.facts(true).getKernelFiles().get(0).getSha256()).isEqualTo(sha256("old"));

        Files.writeString(a, "new content");
        Files.setLastModifiedTime(a, FileTime.fromMillis(Files.getLastModifiedTime(a).toMillis() + 5_000));
        Files.writeString(boot.resolve("vmlinuz-c"), "c");
        assertThat(inv.facts(true).getKernelFiles()).as("not rescanned before RESCAN").hasSize(1);
        clock.advance(PreflightInventory.RESCAN);
        PreflightFacts later = inv.facts(true);
        assertThat(later.getKernelFiles()).hasSize(2);
        KernelImageFile changed = later.getKernelFiles().stream().filter(f -> f.getPath().equals(a.toString())).findFirst().orElseThrow();
        assertThat(changed.getSizeBytes()).isEqualTo(11L);
        assertThat(changed.getSha256()).as("old hash dropped with the old size and mtime").isIn(null, sha256("new content"));
    }

    @Test
    void listsAtMostSixteenFilesAndCountsTheRest() throws Exception {
        Path boot = Files.createDirectories(dir.resolve("boot"));
        for (int i = 0; i < PreflightInventory.MAX_FILES + 3; i++) {
            Path f = Files.writeString(boot.resolve("f" + i), "x");
            Files.setLastModifiedTime(f, FileTime.fromMillis(1_000_000L + i * 1000L));
        }
        PreflightFacts facts = new PreflightInventory(Path.of("/"), List.of(boot), UNLOCKED, new MutableClock()).facts(false);
        assertThat(facts.getKernelFiles()).hasSize(PreflightInventory.MAX_FILES);
        assertThat(facts.getKernelFiles().get(0).getPath()).endsWith("f18");
        assertThat(facts.getKernelFilesOmitted()).isEqualTo(3);
    }

    @Test
    void aMissingKernelDirectoryIsListedWithoutFreeSpace() {
        PreflightFacts facts = new PreflightInventory(Path.of("/"), List.of(dir.resolve("nope")), UNLOCKED,
                new MutableClock()).facts(true);
        assertThat(facts.getKernelDirs()).singleElement().satisfies(d -> assertThat(d.getFreeBytes()).isNull());
        assertThat(facts.getKernelFiles()).isNull();
    }

    @Test
    void freeSpaceIsRoundedDownToThreeLeadingBits() {
        assertThat(PreflightInventory.coarse(0)).isZero();
        assertThat(PreflightInventory.coarse(7)).isEqualTo(7);
        assertThat(PreflightInventory.coarse(1000)).isEqualTo(896);
        long tenGiB = 10L << 30;
        assertThat(PreflightInventory.coarse(tenGiB + 12345)).isEqualTo(tenGiB);
        assertThat(PreflightInventory.coarse(tenGiB - 1)).isEqualTo(8L << 30).isBetween(tenGiB * 3 / 4, tenGiB);
    }

    @Test
    void theSimulatedKernelsPolicyFilesReachTheInventory() throws Exception {
        SimNode node = new SimNode(dir, Generation.B).boot();
        PreflightFacts unlocked = node.engine.status().getInventory().getPreflight();
        assertThat(unlocked.getLockdown()).isEqualTo(LockdownMode.None);
        assertThat(unlocked.getKexecSignatureEnforced()).isFalse();
        assertThat(unlocked.getKexecLoadDisabled()).isFalse();
        assertThat(unlocked.getKernelFiles()).extracting(KernelImageFile::getPath).contains(node.image.toString());
        assertThat(unlocked.getKernelFiles().stream().filter(f -> f.getPath().equals(node.image.toString()))
                .findFirst().orElseThrow().getSha256()).isEqualTo(HexFormat.of().formatHex(
                        MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(node.image))));

        SimulatedKernel.writePolicy(node.simDir, "lockdown", "none [integrity] confidentiality\n");
        SimulatedKernel.writePolicy(node.simDir, "config", "# comment\nCONFIG_KEXEC_SIG=y\nCONFIG_KEXEC_SIG_FORCE=y\n");
        SimulatedKernel.writePolicy(node.simDir, "kexec_load_disabled", "1\n");
        node.clock.advance(PreflightInventory.RESCAN.plus(Duration.ofSeconds(1)));
        node.engine.tick();
        PreflightFacts locked = node.engine.status().getInventory().getPreflight();
        assertThat(locked.getLockdown()).isEqualTo(LockdownMode.Integrity);
        assertThat(locked.getKexecSignatureEnforced()).isTrue();
        assertThat(locked.getKexecLoadDisabled()).isTrue();
    }

    @Test
    void registrationsCountDistinctFilesPerSession() throws Exception {
        SimNode node = new SimNode(dir, Generation.B).boot();
        int fd = node.memfd(new byte[] {1, 2, 3});
        node.engine.preserve(SimNode.ROOT, "vm", 1, fd);
        node.engine.preserve(SimNode.ROOT, "db", 2, node.memfd(new byte[] {4}));
        PreflightFacts facts = node.engine.status().getInventory().getPreflight();
        assertThat(facts.getRegistrations()).extracting(r -> r.getSession() + "=" + r.getFiles())
                .containsExactly("db=1", "vm=1");
    }

    private static String sha256(String s) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes()));
    }
}
