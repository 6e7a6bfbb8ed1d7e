package dev.liveupdate.testcluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/**
 * The agent's seccomp profile is RuntimeDefault's shape plus exactly the two syscalls the agent exists for: an allow-list
 * (anything not named fails with EPERM), kexec_file_load and reboot allowed, kexec_load and the container-escape
 * interfaces denied, and what the JVM and the agent call every day allowed.
 */
class AgentSeccompProfileTest {
    static AgentSeccompProfile chartProfile() throws Exception {
        return AgentSeccompProfile.parse(Files.readString(RepoLayout.locate().chartDir().resolve("files/agent-seccomp.json")));
    }

    @Test
    void anAllowListThatAddsOnlyKexecFileLoadAndReboot() throws Exception {
        AgentSeccompProfile p = chartProfile();
        assertThat(p.root().path("defaultAction").asText()).isEqualTo("SCMP_ACT_ERRNO");
        assertThat(p.allowed()).contains("kexec_file_load", "reboot");
        assertThat(p.named()).doesNotContain("kexec_load");
    }

    @Test
    void deniesWhatRuntimeDefaultDeniesAContainerWithoutCapabilities() throws Exception {
        assertThat(chartProfile().named()).doesNotContain("kexec_load", "mount", "umount2", "pivot_root", "unshare", "setns",
                "ptrace", "process_vm_readv", "process_vm_writev", "bpf", "perf_event_open", "init_module", "finit_module",
                "delete_module", "keyctl", "add_key", "request_key", "userfaultfd", "open_by_handle_at", "name_to_handle_at",
                "kcmp", "swapon", "swapoff", "settimeofday", "clock_settime", "acct", "iopl", "ioperm", "io_uring_setup",
                "fsopen", "fsmount", "move_mount", "open_tree", "pidfd_getfd", "chroot", "syslog");
    }

    @Test
    void allowsWhatTheJvmAndTheAgentCall() throws Exception {
        // The JVM's threads, memory, signals and I/O; the agent's openat2 (kernel images beneath their directories),
        // statx, memfd checks, fd passing over the socket, pidfd of a peer, and the LUO ioctls.
        assertThat(chartProfile().allowed()).contains("futex", "mmap", "munmap", "mprotect", "madvise", "rt_sigaction",
                "rt_sigprocmask", "rt_sigreturn", "sched_yield", "epoll_create1", "epoll_ctl", "epoll_wait", "epoll_pwait",
                "read", "write", "pread64", "openat", "openat2", "close", "fstat", "newfstatat", "statx", "ioctl", "fcntl",
                "memfd_create", "ftruncate", "fstatfs", "socket", "bind", "listen", "accept4", "connect", "sendmsg",
                "recvmsg", "getsockopt", "setsockopt", "pidfd_open", "getrandom", "clock_gettime", "nanosleep",
                "clock_nanosleep", "prctl", "set_robust_list", "rseq", "exit_group", "dup", "dup3");
    }

    @Test
    void threadsYesNewNamespacesNo() throws Exception {
        AgentSeccompProfile p = chartProfile();
        assertThat(p.rulesFor("clone")).singleElement().satisfies(r -> {
            assertThat(r.path("action").asText()).isEqualTo("SCMP_ACT_ALLOW");
            assertThat(r.path("args").get(0).path("op").asText()).isEqualTo("SCMP_CMP_MASKED_EQ");
            // CLONE_NEWNS | CLONE_NEWCGROUP | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET
            assertThat(r.path("args").get(0).path("value").asLong()).isEqualTo(0x7E020000L);
            assertThat(r.path("args").get(0).path("valueTwo").asLong()).isZero();
        });
        // clone3's flags are in memory a filter cannot read: ENOSYS, and glibc falls back to clone.
        assertThat(p.rulesFor("clone3")).singleElement().satisfies(r -> {
            assertThat(r.path("action").asText()).isEqualTo("SCMP_ACT_ERRNO");
            assertThat(r.path("errnoRet").asInt()).isEqualTo(38);
        });
    }
}
