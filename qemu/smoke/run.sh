#!/usr/bin/env bash
# End-to-end LUO smoke test on a real kernel under QEMU:
#   boot 1 (lu.stage=1): luo_smoke stage1 preserves a 1 MiB memfd in session
#                        "smoke", kexec_file_load()s the same bzImage and
#                        reboot(KEXEC)s
#   boot 2 (lu.stage=2): luo_smoke stage2 retrieves and verifies it, FINISHes
# Exits 0 only on "LUO-GUEST-RESULT: PASS" from stage 2.
#
#   qemu/smoke/run.sh [--timeout SECONDS] [--kernel BZIMAGE]
# (default kernel: hack/kernel/build-kernel.sh, which builds it if needed)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cache="${LIVEUPDATE_CACHE:-$HOME/.cache/liveupdate-operator}"
timeout=300
kernel=""
while [ $# -gt 0 ]; do
  case "$1" in
    --timeout) timeout="$2"; shift 2 ;;
    --kernel) kernel="$(cd "$(dirname "$2")" && pwd)/$(basename "$2")"; shift 2 ;;
    *) echo "usage: $0 [--timeout SECONDS] [--kernel BZIMAGE]" >&2; exit 4 ;;
  esac
done

now() { echo "$EPOCHREALTIME"; }
t0="$(now)"
[ -n "$kernel" ] || kernel="$("$root/hack/kernel/build-kernel.sh" | tail -1)"
t1="$(now)"
initrd="$("$root/hack/kernel/build-initramfs.sh" | tail -1)"

src="$here/luo_smoke.c"
bindir="$cache/smoke/$(sha256sum "$src" | cut -c1-12)"
bin="$bindir/luo_smoke"
if [ ! -x "$bin" ]; then
  mkdir -p "$bindir"
  gcc -O2 -Wall -Wextra -static -o "$bin.tmp" "$src"
  mv "$bin.tmp" "$bin"
fi
t2="$(now)"

run="$cache/smoke/runs/$(date +%Y%m%d-%H%M%S)-$$"
mkdir -p "$run"
for p in "$run" "$bin" "$kernel" "$initrd"; do
  case "$p" in *' '*) echo "smoke: path with spaces not supported: $p" >&2; exit 4 ;; esac
done
stage2_cmdline="console=ttyS0 panic=-1 kho=on liveupdate=on lu.stage=2 lu.script=/host$run/stage2.sh"
cat > "$run/stage1.sh" <<EOF
#!/bin/sh
exec /host$bin stage1 /host$kernel /host$initrd "$stage2_cmdline"
EOF
cat > "$run/stage2.sh" <<EOF
#!/bin/sh
exec /host$bin stage2
EOF

set +e
"$root/qemu/run-guest.sh" --kernel "$kernel" --initrd "$initrd" \
  --script "$run/stage1.sh" --append "lu.stage=1" \
  --log "$run/console.log" --timeout "$timeout"
rc=$?
set -e

# Timings from the host-stamped console log.
ts() { grep -a -m1 -F "$1" "$run/console.log.ts" | sed -E 's/^\[ *([0-9.]+)\].*/\1/'; }
b1="$(ts 'LUO-GUEST-START: stage=1')"
kx="$(ts 'reboot(LINUX_REBOOT_CMD_KEXEC)')"
k2="$(grep -a -F 'Linux version' "$run/console.log.ts" | sed -n 2p | sed -E 's/^\[ *([0-9.]+)\].*/\1/')"
b2="$(ts 'LUO-GUEST-START: stage=2')"
pass="$(ts 'luo_smoke: PASS')"
end="$(tail -1 "$run/console.log.ts" | sed -E 's/^\[ *([0-9.]+)\].*/\1/')"
d() { [ -n "$1" ] && [ -n "$2" ] && awk -v a="$1" -v b="$2" 'BEGIN{printf "%.2f s", b-a}' || echo "n/a"; }
{
  echo "smoke: kernel        $kernel ($(grep -s -E '^(version|kernelrelease)=' "$(dirname "$kernel")/source-version" | tr '\n' ' '))"
  echo "smoke: initramfs     $initrd"
  echo "smoke: prepare       kernel lookup $(d "$t0" "$t1"), initramfs+compile $(d "$t1" "$t2")"
  echo "smoke: boot 1        qemu start -> stage-1 userspace   $(d 0 "$b1")"
  echo "smoke: stage 1       userspace -> reboot(KEXEC)        $(d "$b1" "$kx")"
  echo "smoke: blackout      reboot(KEXEC) -> stage-2 userspace $(d "$kx" "$b2") (new kernel banner after $(d "$kx" "$k2"))"
  echo "smoke: stage 2       userspace -> PASS line            $(d "$b2" "$pass")"
  echo "smoke: total         qemu start -> qemu exit           $(d 0 "$end")"
  echo "smoke: log           $run/console.log(.ts)"
} | tee "$run/summary.txt" >&2
if [ "$rc" -eq 0 ] && grep -aq '^LUO-GUEST-RESULT: PASS stage=2' "$run/console.log"; then
  echo "smoke: PASS" >&2
  exit 0
fi
echo "smoke: FAIL (run-guest exit $rc)" >&2
exit 1
