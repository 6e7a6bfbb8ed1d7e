package dev.liveupdate.luo.sys;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KexecPolicyFilesTest {
    @TempDir
    Path dir;

    @Test
    void lockdownIsTheBracketedMode() throws Exception {
        assertThat(KexecPolicyFiles.lockdown(Files.writeString(dir.resolve("a"), "[none] integrity confidentiality\n"))).isEqualTo("none");
        assertThat(KexecPolicyFiles.lockdown(Files.writeString(dir.resolve("b"), "none integrity [confidentiality]\n"))).isEqualTo("confidentiality");
        assertThat(KexecPolicyFiles.lockdown(Files.writeString(dir.resolve("c"), "garbage\n"))).isNull();
        assertThat(KexecPolicyFiles.lockdown(dir.resolve("missing"))).isNull();
    }

    @Test
    void configOptionFromAGzippedOrPlainConfig() throws Exception {
        Path gz = dir.resolve("config.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write("CONFIG_KEXEC=y\nCONFIG_KEXEC_SIG=y\nCONFIG_KEXEC_SIG_FORCE=y\n".getBytes(StandardCharsets.UTF_8));
        }
        assertThat(KexecPolicyFiles.configOption(gz, "CONFIG_KEXEC_SIG_FORCE")).isTrue();
        Path plain = Files.writeString(dir.resolve("config-7.2.0"), "CONFIG_KEXEC_SIG=y\n# CONFIG_KEXEC_SIG_FORCE is not set\n");
        assertThat(KexecPolicyFiles.configOption(plain, "CONFIG_KEXEC_SIG_FORCE")).isFalse();
        assertThat(KexecPolicyFiles.configOption(dir.resolve("none"), "CONFIG_KEXEC_SIG_FORCE")).isNull();
    }

    @Test
    void flagIsOneZeroOrUnknown() throws Exception {
        assertThat(KexecPolicyFiles.flag(Files.writeString(dir.resolve("one"), "1\n"))).isTrue();
        assertThat(KexecPolicyFiles.flag(Files.writeString(dir.resolve("zero"), "0\n"))).isFalse();
        assertThat(KexecPolicyFiles.flag(Files.writeString(dir.resolve("x"), "x\n"))).isNull();
        assertThat(KexecPolicyFiles.flag(dir.resolve("gone"))).isNull();
    }
}
