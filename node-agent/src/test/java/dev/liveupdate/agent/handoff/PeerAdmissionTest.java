package dev.liveupdate.agent.handoff;

import static org.assertj.core.api.Assertions.assertThat;

import dev.liveupdate.client.protocol.ErrorCode;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Who gets a connection: allowed uid, an owner the agent can tell, a pid still the peer's, and a free slot of its owner. */
class PeerAdmissionTest {
    static final Peer ROOT_7 = new Peer(7, 0, 0, new long[] {0});
    static final Peer ROOT_8 = new Peer(8, 0, 0, new long[] {0});
    static final Peer ROOT_9 = new Peer(9, 0, 0, new long[] {0});
    final OwnerResolver resolver = (pid, uid) -> {
        if (pid == 9) {
            throw new OwnerResolver.UnknownOwnerException("no such process");
        }
        return Owner.pod(pid == 7 ? "pod-seven" : "pod-eight");
    };
    final PeerAdmission admission = new PeerAdmission(new PeerPolicy(Set.of(0L), Set.of()), resolver, new ConnectionLimits(2));

    @Test
    void eachOwnerHasItsOwnConnectionSlots() {
        PeerAdmission.Decision first = admission.admit(ROOT_7, PeerPidfd.NONE);
        assertThat(first.admitted()).isTrue();
        assertThat(first.peer().owner()).isEqualTo(Owner.pod("pod-seven"));
        assertThat(admission.admit(ROOT_7, PeerPidfd.NONE).admitted()).isTrue();
        PeerAdmission.Decision third = admission.admit(ROOT_7, PeerPidfd.NONE);
        assertThat(third.refusal()).isEqualTo(ErrorCode.BUSY);
        assertThat(third.reason()).contains("pod pod-seven already has 2 connections", "max-connections-per-owner");
        assertThat(admission.admit(ROOT_8, PeerPidfd.NONE).admitted()).as("another pod is not affected").isTrue();
        admission.release(first.peer());
        assertThat(admission.admit(ROOT_7, PeerPidfd.NONE).admitted()).isTrue();
    }

    @Test
    void refusals() {
        assertThat(admission.admit(new Peer(7, 1000, 1000, new long[] {1000}), PeerPidfd.NONE).refusal()).isEqualTo(ErrorCode.PERMISSION_DENIED);
        PeerAdmission.Decision unknown = admission.admit(ROOT_9, PeerPidfd.NONE);
        assertThat(unknown.refusal()).isEqualTo(ErrorCode.PERMISSION_DENIED);
        assertThat(unknown.reason()).contains("cannot tell which workload", "no such process");
        PeerAdmission.Decision gone = admission.admit(ROOT_7, PeerPidfd.GONE);
        assertThat(gone.refusal()).isEqualTo(ErrorCode.PERMISSION_DENIED);
        assertThat(gone.reason()).contains("exited");
    }

    /** A kernel without cgroups (a minimal guest) has no /proc/<pid>/cgroup: its processes are host owners by uid. */
    @Test
    void aKernelWithoutCgroups(@org.junit.jupiter.api.io.TempDir java.nio.file.Path proc) throws Exception {
        java.nio.file.Files.createDirectories(proc.resolve("42"));
        assertThat(new ProcOwnerResolver(proc).ownerOf(42, 1000)).isEqualTo(Owner.host(1000, Owner.NO_CGROUPS));
        assertThat(Owner.host(1000, Owner.NO_CGROUPS).toString()).isEqualTo("host uid 1000 (a kernel without cgroups)");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ProcOwnerResolver(proc).ownerOf(43, 0))
                .isInstanceOf(OwnerResolver.UnknownOwnerException.class).hasMessageContaining("exited");
        java.nio.file.Files.writeString(java.nio.file.Files.createDirectories(proc.resolve("44")).resolve("cgroup"),
                "0::/kubepods.slice/kubepods-pod5f3d5a9c_8b2e_4d1a_9c1e_0123456789ab.slice/cri-containerd-1.scope\n");
        assertThat(new ProcOwnerResolver(proc).ownerOf(44, 0)).isEqualTo(Owner.pod("5f3d5a9c-8b2e-4d1a-9c1e-0123456789ab"));
    }

    @Test
    void theHostsProcOfThisProcess() throws Exception {
        Owner me = ProcOwnerResolver.host().ownerOf(ProcessHandle.current().pid(), 0);
        assertThat(me.kind()).as("the test runs outside any pod").isEqualTo(Owner.Kind.HOST);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> ProcOwnerResolver.host().ownerOf(0, 0))
                .isInstanceOf(OwnerResolver.UnknownOwnerException.class).hasMessageContaining("hostPID");
    }
}
