#!/usr/bin/env bash
# A real live update by the real node agent on a real LUO kernel under QEMU: the agent
# (node-agent's quarkus-run.jar, standalone mode, reboot strategy direct) preserves a workload's
# memfd, kexecs the same kernel, and in the new kernel a new agent process restores the session,
# the workload verifies its bytes by SHA-256, and the agent FINISHes. Exits 0 only on success.
#
#   qemu/agent/run.sh [--timeout SECONDS] [--bytes SIZE]     (SIZE as lu-client takes it, default 1M)
#
# Output: ${LIVEUPDATE_CACHE:-~/.cache/liveupdate-operator}/agent/runs/<timestamp>/
#   console.log(.ts), status.json (the agent's last status), summary.txt (the measurements below),
#   measurements.properties (the same, machine-readable).
# Measured: the blackout as the agent reports it (status.blackout: reboot(KEXEC) issued -> the
# workload got its fd back, guest clock synchronised with the host in both boots) and the same
# from the host's console timestamps; the JVM agent's time from process start to device ready.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
. "$root/qemu/host-lib.sh"
timeout=2400
bytes=1M
while [ $# -gt 0 ]; do
  case "$1" in
    --timeout) timeout="$2"; shift 2 ;;
    --bytes) bytes="$2"; shift 2 ;;
    *) echo "usage: $0 [--timeout SECONDS] [--bytes SIZE]" >&2; exit 4 ;;
  esac
done

t0="$(now)"
load0="$(cut -d" " -f1-3 /proc/loadavg)"
ensure_guest_images
ensure_artifacts agent
t1="$(now)"
run="$cache/agent/runs/$(date +%Y%m%d-%H%M%S)-$$"
mkdir -p "$run/agent-state"
case "$run$root$KERNEL$INITRD$AGENT_JAR$LU_CLIENT_JAR" in *' '*) echo "agent: paths with spaces are not supported" >&2; exit 4 ;; esac
# The plan's kernel.release is what `uname -r` must say after the update: build-kernel.sh records it.
release="$(sed -n 's/^kernelrelease=//p' "$(dirname "$KERNEL")/source-version" 2>/dev/null | head -1)"
[ -n "$release" ] || { echo "agent: no kernelrelease in $(dirname "$KERNEL")/source-version" >&2; exit 4; }
stage2="console=ttyS0 panic=-1 kho=on liveupdate=on lu.stage=2 lu.script=/host$here/guest.sh lu.share=$run"
# The plan names the digests of both files: the agent's default kernel policy requires them (invariant 11).
printf 'NODE=%q\nPLAN=%q\nPLAN_UID=%q\nRELEASE=%q\nKERNEL=%q\nKERNEL_SHA256=%q\nINITRD=%q\nINITRD_SHA256=%q\nSTAGE2_CMDLINE=%q\nAGENT_JAR=%q\nLU_CLIENT_JAR=%q\nBYTES=%q\n' \
  qemu-guest kernel-live-update "$(cat /proc/sys/kernel/random/uuid)" "$release" "$KERNEL" \
  "$(sha256sum "$KERNEL" | cut -d' ' -f1)" "$INITRD" "$(sha256sum "$INITRD" | cut -d' ' -f1)" "$stage2" "$AGENT_JAR" "$LU_CLIENT_JAR" \
  "$bytes" > "$run/run.env"

set +e
"$root/qemu/run-guest.sh" --kernel "$KERNEL" --initrd "$INITRD" --script "$here/guest.sh" \
  --append "lu.stage=1" --share "$run" --log "$run/console.log" --timeout "$timeout" --quiet
rc=$?
set -e
t2="$(now)"

ts="$run/console.log.ts"
log="$run/console.log"
b1="$(ts_of "$ts" 'LUO-GUEST-START: stage=1')"
a1="$(ts_of "$ts" 'LUO-AGENT: agent process 1 launched')"
open1="$(ts_nth "$ts" 'opened /dev/liveupdate' 1)"
prepared="$(ts_of "$ts" 'LUO-AGENT: phase Prepared')"
kx="$(ts_of "$ts" 'reboot(LINUX_REBOOT_CMD_KEXEC) for plan')"
k2="$(grep -a -F 'Linux version' "$ts" | sed -n 2p | sed -E 's/^\[ *([0-9.]+)\].*/\1/')"
b2="$(ts_of "$ts" 'LUO-GUEST-START: stage=2')"
a2="$(ts_of "$ts" 'LUO-AGENT: agent process 2 launched')"
open2="$(ts_nth "$ts" 'opened /dev/liveupdate' 2)"
restoring="$(ts_of "$ts" 'LUO-AGENT: phase Restoring')"
wl="$(ts_of "$ts" 'LUO-AGENT: workload launched')"
handed="$(ts_of "$ts" 'handed vm/')"
verified="$(ts_of "$ts" 'LUO-AGENT: workload verified')"
finished="$(ts_of "$ts" 'LUO-AGENT: phase Finished')"
end="$(tail -1 "$ts" | sed -E 's/^\[ *([0-9.]+)\].*/\1/')"
ms() { [ -n "${1:-}" ] && [ -n "${2:-}" ] && awk -v a="$1" -v b="$2" 'BEGIN{printf "%d", (b-a)*1000}' || echo ""; }
settled() { grep -a -F 'device settled after' "$log" | sed -n "${1}p" | sed -E 's/.*device settled after ([0-9]+) ms.*/\1/'; }
ready() { grep -a -F 'agent ready after' "$log" | sed -n "${1}p" | sed -E 's/.*agent ready after ([0-9]+) ms.*/\1/'; }
# status.blackout.durationMillis (the only durationMillis in the status; lastUpdate has blackoutMillis)
status_blackout="$(grep -o '"durationMillis":[0-9]*' "$run/status.json" 2>/dev/null | head -1 | cut -d: -f2)"
{
  echo "kernel=$KERNEL"
  echo "kernel_release=$release"
  echo "workload_bytes=$bytes"
  echo "blackout_agent_ms=$status_blackout"
  echo "blackout_host_ms=$(ms "$kx" "$handed")"
  echo "blackout_to_verified_host_ms=$(ms "$kx" "$verified")"
  echo "reboot_to_new_kernel_banner_ms=$(ms "$kx" "$k2")"
  echo "reboot_to_stage2_userspace_ms=$(ms "$kx" "$b2")"
  echo "agent1_launch_to_device_open_host_ms=$(ms "$a1" "$open1")"
  echo "agent1_jvm_start_to_device_settled_ms=$(settled 1)"
  echo "agent1_jvm_start_to_ready_ms=$(ready 1)"
  echo "agent2_launch_to_device_open_host_ms=$(ms "$a2" "$open2")"
  echo "agent2_jvm_start_to_device_settled_ms=$(settled 2)"
  echo "agent2_jvm_start_to_ready_ms=$(ready 2)"
  echo "agent2_launch_to_fd_handed_back_host_ms=$(ms "$a2" "$handed")"
  echo "reboot_to_restoring_host_ms=$(ms "$kx" "$restoring")"
  echo "workload_launch_to_fd_handed_back_host_ms=$(ms "$wl" "$handed")"
  echo "boot1_qemu_to_userspace_ms=$(ms 0 "$b1")"
  echo "stage1_userspace_to_prepared_ms=$(ms "$b1" "$prepared")"
  echo "verified_to_finished_ms=$(ms "$verified" "$finished")"
  echo "qemu_total_ms=$(ms 0 "$end")"
  echo "prepare_host_s=$(secs "$t0" "$t1")"
  echo "total_host_s=$(secs "$t0" "$t2")"
  echo "host_load_before=$load0"
  echo "host_load_after=$(cut -d" " -f1-3 /proc/loadavg)"
} > "$run/measurements.properties"
{
  echo "agent: kernel            $KERNEL ($release)"
  echo "agent: boot 1            qemu start -> userspace $(ms 0 "$b1") ms; userspace -> Prepared $(ms "$b1" "$prepared") ms"
  echo "agent: agent 1           launch -> /dev/liveupdate open $(ms "$a1" "$open1") ms (JVM: device settled after $(settled 1) ms, ready after $(ready 1) ms)"
  echo "agent: blackout (agent)  ${status_blackout:-n/a} ms  reboot(KEXEC) issued -> workload has its fd (status.blackout.durationMillis)"
  echo "agent: blackout (host)   $(ms "$kx" "$handed") ms  same, host console timestamps; workload verified SHA-256 at +$(ms "$kx" "$verified") ms"
  echo "agent:   reboot -> new kernel banner $(ms "$kx" "$k2") ms, -> stage-2 userspace $(ms "$kx" "$b2") ms"
  echo "agent: agent 2           launch -> /dev/liveupdate open $(ms "$a2" "$open2") ms (JVM: device settled after $(settled 2) ms, ready after $(ready 2) ms); reboot(KEXEC) -> session retrieved (Restoring) $(ms "$kx" "$restoring") ms"
  echo "agent: workload          launch (after Restoring) -> its fd handed back $(ms "$wl" "$handed") ms"
  echo "agent: finish            verified -> Finished $(ms "$verified" "$finished") ms"
  echo "agent: total             $(secs "$t0" "$t2") s (qemu $(ms 0 "$end") ms; prepare $(secs "$t0" "$t1") s); host load $load0 -> $(cut -d" " -f1-3 /proc/loadavg) (2 cores)"
  echo "agent: log               $log"
} | tee "$run/summary.txt" >&2
if [ "$rc" -eq 0 ] && grep -aq '^LUO-GUEST-RESULT: PASS stage=2' "$log" && grep -aq '^VERIFIED ' "$log"; then
  echo "agent: PASS" >&2
  exit 0
fi
grep -a 'LUO-AGENT:\|SEVERE\|WARN\|Exception' "$log" | tail -20 >&2 || true
echo "agent: FAIL (run-guest exit $rc)" >&2
exit 1
