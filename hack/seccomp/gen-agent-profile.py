#!/usr/bin/env python3
"""Writes the node agent's seccomp profile (helm/liveupdate-operator/files/agent-seccomp.json).

The profile is an allow-list in the shape of the container runtimes' RuntimeDefault: every syscall of the kernel's
x86_64 and generic (arm64) tables except those RuntimeDefault denies to a container without extra capabilities, plus
the two the agent exists for: kexec_file_load(2) and reboot(2). kexec_load(2) stays denied: the agent never loads
segments the kernel has not parsed and verified itself. Run it when the kernel headers gain syscalls:

    python3 hack/seccomp/gen-agent-profile.py [--headers /usr/include] [--out FILE]

It reads the syscall names from linux-libc-dev's headers; AgentSeccompProfileTest checks the result.
"""
import argparse
import json
import pathlib
import re

# What RuntimeDefault (containerd, CRI-O, Docker) denies a container that has no capability beyond the default set,
# plus newer mount and tracing interfaces those profiles gate the same way. The agent drops every capability but
# CAP_SYS_BOOT, so the kernel would refuse most of these anyway; the filter is the second wall.
DENIED = {
    "acct", "add_key", "afs_syscall", "bdflush", "bpf", "chroot", "clock_adjtime", "clock_settime", "create_module",
    "delete_module", "fanotify_init", "finit_module", "fsconfig", "fsmount", "fsopen", "fspick", "get_kernel_syms",
    "get_mempolicy", "getpmsg", "init_module", "io_pgetevents", "io_uring_enter", "io_uring_register", "io_uring_setup",
    "ioperm", "iopl", "kcmp", "kexec_load", "keyctl", "listmount", "lookup_dcookie", "lsm_get_self_attr",
    "lsm_list_modules", "lsm_set_self_attr", "mbind", "modify_ldt", "mount", "mount_setattr", "move_mount",
    "move_pages", "name_to_handle_at", "nfsservctl", "open_by_handle_at", "open_tree", "open_tree_attr",
    "perf_event_open", "pidfd_getfd", "pivot_root", "process_madvise", "process_vm_readv", "process_vm_writev",
    "ptrace", "putpmsg", "query_module", "quotactl", "quotactl_fd", "request_key", "security", "set_mempolicy",
    "set_mempolicy_home_node", "setdomainname", "sethostname", "setns", "settimeofday", "statmount", "stime",
    "swapoff", "swapon", "syslog", "sysfs", "_sysctl", "tuxcall", "umount", "umount2", "unshare", "uselib",
    "userfaultfd", "ustat", "vhangup", "vm86", "vm86old", "vserver",
}
# Allowed for the agent although RuntimeDefault denies them without CAP_SYS_BOOT.
AGENT_NEEDS = {"kexec_file_load", "reboot"}
# Handled by their own rules below (argument filters or a different errno).
SPECIAL = {"clone", "clone3", "personality"}
# CLONE_NEWNS | CLONE_NEWCGROUP | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNET
CLONE_NAMESPACES = 0x7E020000


def names(header: pathlib.Path) -> set:
    found = set()
    for line in header.read_text().splitlines():
        m = re.match(r"#define __NR3?2?_([a-z0-9_]+)\s+", line)
        if m and m.group(1) not in ("syscalls", "arch_specific_syscall"):
            found.add(m.group(1))
    return found


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--headers", default="/usr/include")
    p.add_argument("--out", default=str(pathlib.Path(__file__).resolve().parents[2]
                                        / "helm/liveupdate-operator/files/agent-seccomp.json"))
    a = p.parse_args()
    inc = pathlib.Path(a.headers)
    table = names(next(inc.glob("*-linux-gnu/asm/unistd_64.h"))) | names(inc / "asm-generic/unistd.h")
    allowed = sorted((table - DENIED - SPECIAL - AGENT_NEEDS) | AGENT_NEEDS)
    rules = [
        {"names": allowed, "action": "SCMP_ACT_ALLOW"},
        {"names": ["clone"], "action": "SCMP_ACT_ALLOW",
         "args": [{"index": 0, "value": CLONE_NAMESPACES, "valueTwo": 0, "op": "SCMP_CMP_MASKED_EQ"}]},
        {"names": ["clone3"], "action": "SCMP_ACT_ERRNO", "errnoRet": 38},
    ]
    # personality(2): the plain Linux personalities and the query, as RuntimeDefault.
    for v in (0x0, 0x8, 0x20000, 0x20008, 0xFFFFFFFF):
        rules.append({"names": ["personality"], "action": "SCMP_ACT_ALLOW",
                      "args": [{"index": 0, "value": v, "valueTwo": 0, "op": "SCMP_CMP_EQ"}]})
    out = {
        "defaultAction": "SCMP_ACT_ERRNO",
        "archMap": [
            {"architecture": "SCMP_ARCH_X86_64", "subArchitectures": ["SCMP_ARCH_X86", "SCMP_ARCH_X32"]},
            {"architecture": "SCMP_ARCH_AARCH64", "subArchitectures": ["SCMP_ARCH_ARM"]},
        ],
        "syscalls": rules,
    }
    path = pathlib.Path(a.out)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(out, indent=1) + "\n")
    print(f"{path}: {len(allowed)} syscalls allowed, {len(DENIED & table)} of the table denied")


if __name__ == "__main__":
    main()
