package dev.liveupdate.luo;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Names the processes holding a device by scanning /proc/[pid]/fd links (what fuser does). */
final class DeviceHolders {
    private DeviceHolders() {}

    static List<String> find(String linkTarget) {
        return find(Path.of("/proc"), linkTarget);
    }

    static List<String> find(Path proc, String linkTarget) {
        List<String> holders = new ArrayList<>();
        try (DirectoryStream<Path> pids = Files.newDirectoryStream(proc, p -> isPid(p.getFileName().toString()))) {
            for (Path pidDir : pids) {
                if (holds(pidDir.resolve("fd"), linkTarget)) {
                    holders.add("pid " + pidDir.getFileName() + " (" + command(pidDir) + ")");
                }
            }
        } catch (IOException | RuntimeException e) {
            // Best effort: the scan only improves an error message.
        }
        return holders;
    }

    private static boolean holds(Path fdDir, String linkTarget) {
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(fdDir)) {
            for (Path fd : fds) {
                try {
                    if (Files.readSymbolicLink(fd).toString().equals(linkTarget)) {
                        return true;
                    }
                } catch (IOException | UnsupportedOperationException e) {
                    // fd closed meanwhile
                }
            }
        } catch (IOException | RuntimeException e) {
            // not ours to read (other user) or process gone
        }
        return false;
    }

    private static String command(Path pidDir) {
        try {
            byte[] raw = Files.readAllBytes(pidDir.resolve("cmdline"));
            String cmd = new String(raw, java.nio.charset.StandardCharsets.UTF_8).replace('\0', ' ').trim();
            if (!cmd.isEmpty()) {
                return cmd.length() > 120 ? cmd.substring(0, 120) + "..." : cmd;
            }
            return Files.readString(pidDir.resolve("comm")).trim();
        } catch (IOException e) {
            return "?";
        }
    }

    private static boolean isPid(String name) {
        return !name.isEmpty() && name.chars().allMatch(Character::isDigit);
    }
}
