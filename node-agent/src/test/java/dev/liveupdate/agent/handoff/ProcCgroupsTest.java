package dev.liveupdate.agent.handoff;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** /proc/<pid>/cgroup as real nodes write it: both kubelet cgroup drivers, cgroup v1, v2 and hybrid hosts. */
class ProcCgroupsTest {
    static final String UID = "5f3d5a9c-8b2e-4d1a-9c1e-0123456789ab";
    static final String UNDERSCORED = "5f3d5a9c_8b2e_4d1a_9c1e_0123456789ab";

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        // cgroup v2, systemd driver (containerd, CRI-O, docker via cri-dockerd), each QoS class
        "v2 systemd burstable|/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod" + UNDERSCORED + ".slice/cri-containerd-4b5e0d3f9a.scope",
        "v2 systemd besteffort|/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod" + UNDERSCORED + ".slice/crio-4b5e0d3f9a.scope",
        "v2 systemd guaranteed|/kubepods.slice/kubepods-pod" + UNDERSCORED + ".slice/docker-4b5e0d3f9a.scope",
        "v2 systemd, the pod's own cgroup|/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod" + UNDERSCORED + ".slice",
        // kind and other kubelets with a cgroup root, inside a node container
        "kind (kubelet.slice)|/system.slice/docker-91be.scope/kubelet.slice/kubelet-kubepods.slice/kubelet-kubepods-besteffort.slice/kubelet-kubepods-besteffort-pod" + UNDERSCORED + ".slice/cri-containerd-77aa.scope",
        // cgroupfs driver (v1 and v2 alike)
        "cgroupfs burstable|/kubepods/burstable/pod" + UID + "/0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
        "cgroupfs besteffort|/kubepods/besteffort/pod" + UID + "/4b5e0d3f9a",
        "cgroupfs guaranteed|/kubepods/pod" + UID + "/4b5e0d3f9a",
        "cgroupfs with a cgroup root|/kubelet/kubepods/burstable/pod" + UID + "/4b5e0d3f9a",
        // read by an agent in its own cgroup namespace: another pod's path climbs to the common ancestor
        "cgroup namespace|/../../kubepods-burstable.slice/kubepods-burstable-pod" + UNDERSCORED + ".slice/cri-containerd-4b5e.scope",
    })
    void podUidFromEveryKubeletLayout(String layout, String path) {
        assertThat(PodCgroupPaths.podUid(path)).as(layout).contains(UID);
    }

    @Test
    void staticPodsHaveAHashForUid() {
        String hash = "9a0e5e5e4a3e2e1d0c9b8a7f6e5d4c3b";
        assertThat(PodCgroupPaths.podUid("/kubepods/burstable/pod" + hash + "/abc")).contains(hash);
        assertThat(PodCgroupPaths.podUid("/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod" + hash + ".slice/cri-containerd-a.scope"))
                .contains(hash);
    }

    @ParameterizedTest
    @CsvSource({
        "/", "/system.slice/containerd.service", "/user.slice/user-1000.slice/session-3.scope", "/kubepods.slice",
        "/kubepods/burstable", "/kubepods.slice/kubepods-burstable.slice", "/podcast/x", "/kubepods/burstable/pod1234",
        "/system.slice/pod" + "5f3d5a9c_8b2e-4d1a_9c1e_0123456789ab" + ".slice",
    })
    void pathsOutsideAnyPod(String path) {
        assertThat(PodCgroupPaths.podUid(path)).isEmpty();
    }

    @Test
    void cgroupV2PodPeer() {
        String file = "0::/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod" + UNDERSCORED + ".slice/cri-containerd-3e1f.scope\n";
        assertThat(ProcCgroups.ownerOf(1000, file)).isEqualTo(Owner.pod(UID));
    }

    @Test
    void cgroupV1PodPeerWithEveryController() {
        String pod = "/kubepods/burstable/pod" + UID + "/8c0d2f";
        String file = String.join("\n",
                "12:hugetlb:" + pod, "11:memory:" + pod, "10:cpu,cpuacct:" + pod, "9:pids:" + pod, "8:devices:" + pod,
                "7:net_cls,net_prio:" + pod, "6:blkio:" + pod, "5:freezer:" + pod, "4:perf_event:" + pod, "3:cpuset:" + pod,
                "2:rdma:/", "1:name=systemd:" + pod, "") + "\n";
        assertThat(ProcCgroups.ownerOf(0, file)).isEqualTo(Owner.pod(UID));
    }

    /** systemd's hybrid mode: v1 controllers, name=systemd and the v2 tree side by side. */
    @Test
    void hybridHostPodPeer() {
        String slice = "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod" + UNDERSCORED + ".slice/cri-containerd-9f.scope";
        String file = "11:memory:" + slice + "\n5:pids:" + slice + "\n1:name=systemd:" + slice + "\n0::" + slice + "\n";
        assertThat(ProcCgroups.ownerOf(0, file)).isEqualTo(Owner.pod(UID));
    }

    @Test
    void aHostProcessIsItsUidAndItsTrackingCgroup() {
        assertThat(ProcCgroups.ownerOf(0, "0::/system.slice/vmm.service\n")).isEqualTo(Owner.host(0, "/system.slice/vmm.service"));
        // v1/hybrid: the name=systemd hierarchy tracks processes, whatever the controllers say
        String hybrid = "4:memory:/process_api/b3bf\n1:name=systemd:/system.slice/vmm.service\n0::/system.slice/vmm.service\n";
        assertThat(ProcCgroups.ownerOf(107, hybrid)).isEqualTo(Owner.host(107, "/system.slice/vmm.service"));
        assertThat(ProcCgroups.ownerOf(0, "3:cpu:/a\n2:memory:/b\n")).isEqualTo(Owner.host(0, "/a"));
        assertThat(ProcCgroups.ownerOf(0, "0::/x\n")).isNotEqualTo(ProcCgroups.ownerOf(1, "0::/x\n")).as("uid tells host owners apart");
    }

    @Test
    void aProcessInTwoPodsIsRefused() {
        String other = "0b8f3c1e-5d2a-4c7b-9e1f-2a3b4c5d6e7f";
        String file = "5:pids:/kubepods/pod" + UID + "/a\n4:memory:/kubepods/pod" + other + "/b\n";
        assertThatThrownBy(() -> ProcCgroups.ownerOf(0, file)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("several pods");
    }

    @Test
    void notACgroupFile() {
        assertThatThrownBy(() -> ProcCgroups.ownerOf(0, "")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ProcCgroups.ownerOf(0, "garbage\n")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void ownersRoundTripThroughTheirKeys() {
        for (Owner o : new Owner[] {Owner.pod(UID), Owner.host(0, "/system.slice/a:b.service"), Owner.host(1000, "/")}) {
            assertThat(Owner.fromKey(o.key())).isEqualTo(o);
        }
        assertThat(Owner.fromKey(null)).isEqualTo(Owner.UNKNOWN);
        assertThat(Owner.fromKey("host:x:/")).isEqualTo(Owner.UNKNOWN);
        assertThat(Owner.UNKNOWN.matches(Owner.UNKNOWN)).as("an unrecorded owner is nobody").isFalse();
        assertThat(Owner.pod(UID).matches(Owner.pod(UID))).isTrue();
        assertThat(Optional.of(Owner.pod(UID).toString())).contains("pod " + UID);
    }
}
