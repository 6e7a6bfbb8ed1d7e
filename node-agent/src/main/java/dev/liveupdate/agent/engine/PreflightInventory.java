package dev.liveupdate.agent.engine;

import dev.liveupdate.api.v1alpha1.KernelDirectory;
import dev.liveupdate.api.v1alpha1.KernelImageFile;
import dev.liveupdate.api.v1alpha1.LockdownMode;
import dev.liveupdate.api.v1alpha1.PreflightFacts;
import dev.liveupdate.luo.sys.HostInfo;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The facts fleet preflight checks plans against (everything but the registrations, see {@link NodeReport}): the
 * regular files directly in the kernel directories with size and SHA-256, the free space there, and the kernel's kexec
 * policy. Bounded and cheap: the directories are listed at most every {@link #RESCAN}; at most {@link #MAX_FILES}
 * files are listed (the newest first); each file is hashed once per path, size and modification time, at most one
 * file per call and only while the agent runs no update (hashing never competes with a restore); files over
 * {@link #MAX_HASHED_BYTES} are listed without a hash. Symbolic links are left out: the agent loads none.
 */
final class PreflightInventory {
    private static final Logger LOG = Logger.getLogger(PreflightInventory.class.getName());
    static final int MAX_FILES = 16;
    static final Duration RESCAN = Duration.ofSeconds(5);
    static final long MAX_HASHED_BYTES = 1L << 30;

    private record Seen(long size, long mtimeNanos, String sha256) {
    }

    private record Listed(Path hostPath, Path agentPath, long size, long mtimeNanos) {
    }

    private final Path hostRoot;
    private final List<Path> dirs;
    private final HostInfo host;
    private final Clock clock;
    private final Map<Path, Seen> hashed = new HashMap<>();
    private List<Listed> listed = List.of();
    private int omitted;
    private List<KernelDirectory> dirFacts = List.of();
    private PreflightFacts policy = new PreflightFacts();
    private Instant nextScan = Instant.MIN;

    PreflightInventory(Path hostRoot, List<Path> dirs, HostInfo host, Clock clock) {
        this.hostRoot = hostRoot;
        this.dirs = List.copyOf(dirs);
        this.host = host;
        this.clock = clock;
    }

    /** The current facts (a new object each call); {@code mayHash}: the agent is idle enough to hash one file. */
    PreflightFacts facts(boolean mayHash) {
        Instant now = clock.instant();
        if (!now.isBefore(nextScan)) {
            scan();
            nextScan = now.plus(RESCAN);
        }
        if (mayHash) {
            hashOne();
        }
        PreflightFacts f = new PreflightFacts();
        f.setKernelDirs(dirFacts);
        List<KernelImageFile> files = new ArrayList<>(listed.size());
        for (Listed l : listed) {
            Seen s = hashed.get(l.hostPath);
            boolean current = s != null && s.size == l.size && s.mtimeNanos == l.mtimeNanos;
            files.add(new KernelImageFile(l.hostPath.toString(), l.size, current ? s.sha256 : null));
        }
        f.setKernelFiles(files.isEmpty() ? null : files);
        f.setKernelFilesOmitted(omitted > 0 ? omitted : null);
        f.setLockdown(policy.getLockdown());
        f.setKexecSignatureEnforced(policy.getKexecSignatureEnforced());
        f.setKexecLoadDisabled(policy.getKexecLoadDisabled());
        return f;
    }

    private void scan() {
        List<Listed> all = new ArrayList<>();
        List<KernelDirectory> dirInfo = new ArrayList<>();
        for (Path dir : dirs) {
            Path inAgent = hostRoot.resolve(Path.of("/").relativize(dir));
            Long free = null;
            if (Files.isDirectory(inAgent, LinkOption.NOFOLLOW_LINKS)) {
                try {
                    free = coarse(Files.getFileStore(inAgent).getUsableSpace());
                } catch (IOException e) {
                    LOG.log(Level.FINE, "free space of " + inAgent, e);
                }
                list(dir, inAgent, all);
            }
            dirInfo.add(new KernelDirectory(dir.toString(), free));
        }
        all.sort(Comparator.comparingLong(Listed::mtimeNanos).reversed().thenComparing(l -> l.hostPath.toString()));
        omitted = Math.max(0, all.size() - MAX_FILES);
        listed = List.copyOf(all.subList(0, Math.min(MAX_FILES, all.size())));
        hashed.keySet().retainAll(listed.stream().map(Listed::hostPath).toList());
        dirFacts = List.copyOf(dirInfo);
        policy = policyFacts();
    }

    /**
     * Rounded down to its three leading bits (at most a quarter less), so the status, published only on change, does not
     * change with every write on the filesystem.
     */
    static long coarse(long bytes) {
        if (bytes <= 0) {
            return 0;
        }
        int shift = Math.max(0, 63 - Long.numberOfLeadingZeros(bytes) - 2);
        return bytes >>> shift << shift;
    }

    private static void list(Path hostDir, Path inAgent, List<Listed> out) {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(inAgent)) {
            for (Path p : entries) {
                BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                if (a.isRegularFile()) {
                    out.add(new Listed(hostDir.resolve(p.getFileName().toString()), p, a.size(),
                            a.lastModifiedTime().to(java.util.concurrent.TimeUnit.NANOSECONDS)));
                }
            }
        } catch (IOException e) {
            LOG.log(Level.FINE, "cannot list " + inAgent, e);
        }
    }

    private PreflightFacts policyFacts() {
        PreflightFacts p = new PreflightFacts();
        String mode = host.lockdown();
        p.setLockdown(mode == null ? LockdownMode.Unknown : switch (mode) {
            case "none" -> LockdownMode.None;
            case "integrity" -> LockdownMode.Integrity;
            case "confidentiality" -> LockdownMode.Confidentiality;
            default -> LockdownMode.Unknown;
        });
        p.setKexecSignatureEnforced(host.kexecSignatureEnforced());
        p.setKexecLoadDisabled(host.kexecLoadDisabled());
        return p;
    }

    /** Hashes the newest listed file without a current hash, if any. */
    private void hashOne() {
        for (Listed l : listed) {
            Seen s = hashed.get(l.hostPath);
            if (s != null && s.size == l.size && s.mtimeNanos == l.mtimeNanos || l.size > MAX_HASHED_BYTES) {
                continue;
            }
            hashed.put(l.hostPath, new Seen(l.size, l.mtimeNanos, sha256(l.agentPath)));
            return;
        }
    }

    /** Null when the file cannot be read (it is then listed without a hash, and not tried again until it changes). */
    private static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException e) {
            LOG.log(Level.FINE, "cannot hash " + file, e);
            return null;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
