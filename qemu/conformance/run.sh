#!/usr/bin/env bash
# The luo-kernel conformance suite on a real LUO kernel under QEMU, through the project's own JNA
# code: the single-process scenarios and the kexec scenarios (stage 1 preserves and kexecs into
# the same bzImage + initramfs, stage 2 verifies). Exits 0 only if every scenario passed.
#
#   qemu/conformance/run.sh [--timeout SECONDS] [--only SUBSTRING]
#
# Output: ${LIVEUPDATE_CACHE:-~/.cache/liveupdate-operator}/conformance/runs/<timestamp>/
#   console.log(.ts), results.txt (PASS/FAIL lines of every stage), summary.txt (timings).
# The run directory is shared read-write with the guest (run-guest.sh --share): the hand-off
# between the stages lives there, since the guest's root is an initramfs that the kexec replaces.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
. "$root/qemu/host-lib.sh"
timeout=2400
only=""
while [ $# -gt 0 ]; do
  case "$1" in
    --timeout) timeout="$2"; shift 2 ;;
    --only) only="$2"; shift 2 ;;
    *) echo "usage: $0 [--timeout SECONDS] [--only SUBSTRING]" >&2; exit 4 ;;
  esac
done

t0="$(now)"
load0="$(cut -d" " -f1-3 /proc/loadavg)"
ensure_guest_images
ensure_artifacts luo-kernel
t1="$(now)"
run="$cache/conformance/runs/$(date +%Y%m%d-%H%M%S)-$$"
mkdir -p "$run/handoff"
case "$run$root$CP$KERNEL$INITRD" in *' '*) echo "conformance: paths with spaces are not supported" >&2; exit 4 ;; esac
stage2="console=ttyS0 panic=-1 kho=on liveupdate=on lu.stage=2 lu.script=/host$here/guest.sh lu.share=$run"
{
  printf 'CP=%q\nKERNEL=%q\nINITRD=%q\nSTAGE2_CMDLINE=%q\n' "$CP" "$KERNEL" "$INITRD" "$stage2"
  [ -n "$only" ] && printf 'ONLY=%q\n' "$only"
} > "$run/run.env"

set +e
"$root/qemu/run-guest.sh" --kernel "$KERNEL" --initrd "$INITRD" --script "$here/guest.sh" \
  --append "lu.stage=1" --share "$run" --log "$run/console.log" --timeout "$timeout" --quiet
rc=$?
set -e
t2="$(now)"

log="$run/console.log"
grep -a -E '^(PASS|FAIL) |^[0-9]+ passed, [0-9]+ failed$|^# ' "$log" > "$run/results.txt" || true
ts="$run/console.log.ts"
b1="$(ts_of "$ts" 'LUO-GUEST-START: stage=1')"
l0="$(ts_of "$ts" 'LUO-CONFORMANCE: launching the JVM for single')"
h0="$(ts_of "$ts" 'generation B, stage single')"
s0="$(ts_nth "$ts" ' passed, ' 1)"
l1="$(ts_of "$ts" 'LUO-CONFORMANCE: launching the JVM for kexec-1')"
h1="$(ts_of "$ts" 'generation B, stage kexec-1')"
kx="$(ts_of "$ts" '# kexec now')"
b2="$(ts_of "$ts" 'LUO-GUEST-START: stage=2')"
l2="$(ts_of "$ts" 'LUO-CONFORMANCE: launching the JVM for kexec-2')"
h2="$(ts_of "$ts" 'generation B, stage kexec-2')"
s2="$(ts_nth "$ts" ' passed, ' 3)"
end="$(tail -1 "$ts" | sed -E 's/^\[ *([0-9.]+)\].*/\1/')"
d() { [ -n "${1:-}" ] && [ -n "${2:-}" ] && awk -v a="$1" -v b="$2" 'BEGIN{printf "%.1f s", b-a}' || echo "n/a"; }
passed="$(grep -c '^PASS ' "$run/results.txt" || true)"
failed="$(grep -c '^FAIL ' "$run/results.txt" || true)"
{
  echo "conformance: kernel        $KERNEL (${KERNEL_VERSION:-?})"
  echo "conformance: prepare       images + jars $(secs "$t0" "$t1") s"
  echo "conformance: boot 1        qemu start -> stage-1 userspace $(d 0 "$b1")"
  echo "conformance: single        $(d "$l0" "$s0") (JVM start $(d "$l0" "$h0"), scenarios $(d "$h0" "$s0"))"
  echo "conformance: kexec-1       $(d "$l1" "$kx") (JVM start $(d "$l1" "$h1"), preserve + kexec_file_load $(d "$h1" "$kx"))"
  echo "conformance: kexec         reboot(KEXEC) -> stage-2 userspace $(d "$kx" "$b2")"
  echo "conformance: kexec-2       $(d "$l2" "$s2") (JVM start $(d "$l2" "$h2"), retrieve + verify + FINISH $(d "$h2" "$s2"))"
  echo "conformance: total         $(secs "$t0" "$t2") s (qemu $(d 0 "$end")); host load $load0 -> $(cut -d" " -f1-3 /proc/loadavg) (2 cores)"
  echo "conformance: scenarios     $passed PASS lines, $failed FAIL lines (results.txt)"
  echo "conformance: log           $log"
} | tee "$run/summary.txt" >&2
grep -a '^FAIL ' "$run/results.txt" >&2 || true
if [ "$rc" -eq 0 ] && [ "$failed" -eq 0 ] && grep -aq '^LUO-GUEST-RESULT: PASS stage=2' "$log"; then
  echo "conformance: PASS" >&2
  exit 0
fi
echo "conformance: FAIL (run-guest exit $rc)" >&2
exit 1
