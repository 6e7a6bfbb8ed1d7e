#!/usr/bin/env bash
# Boot the LUO test kernel under QEMU (TCG), run one guest command, and exit
# 0 only if the guest printed "LUO-GUEST-RESULT: PASS".
#
#   qemu/run-guest.sh [options] [-- extra qemu args]
#     --cmd 'shell command'   command the guest runs (written to a script
#                             file on the host, passed as lu.script=/host/...)
#     --script <host path>    guest runs this host file with /bin/sh
#     --kernel <bzImage>      default: hack/kernel/build-kernel.sh
#     --initrd <cpio.gz>      default: hack/kernel/build-initramfs.sh
#     --append '<params>'     extra kernel parameters (e.g. lu.stage=1)
#     --timeout <seconds>     default 300; qemu is killed and we exit 3
#     --log <file>            console log (default: a new file under
#                             ${LIVEUPDATE_CACHE:-~/.cache/liveupdate-operator}/logs)
#     --mem <MiB>             default 1024
#     --share <host dir>      also share this host directory read-write; the
#                             guest mounts it over /host<dir> (lu.share=<dir>),
#                             so it has the same path in the chroot /host as on
#                             the host and survives kexecs (pass lu.share=<dir>
#                             on the next kernel's command line too)
#     --quiet                 do not echo the console to stdout
#
# The host root is shared read-only with the guest at /host (9p), so a host
# path P is /host/P inside the guest. The log gets the raw console; <log>.ts
# the same lines prefixed with seconds since qemu started.
#
# Exit codes: 0 PASS, 1 FAIL verdict, 2 no verdict (crash/panic), 3 timeout,
# 4 usage or setup error.
set -uo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
cache="${LIVEUPDATE_CACHE:-$HOME/.cache/liveupdate-operator}"
kernel="" initrd="" append="" timeout=300 log="" mem=1024 quiet=0 cmd="" script="" share=""
extra=()

die() { echo "run-guest: ERROR: $*" >&2; exit 4; }
while [ $# -gt 0 ]; do
  case "$1" in
    --cmd) cmd="$2"; shift 2 ;;
    --script) script="$2"; shift 2 ;;
    --kernel) kernel="$2"; shift 2 ;;
    --initrd) initrd="$2"; shift 2 ;;
    --append) append="$2"; shift 2 ;;
    --timeout) timeout="$2"; shift 2 ;;
    --log) log="$2"; shift 2 ;;
    --mem) mem="$2"; shift 2 ;;
    --share) share="$2"; shift 2 ;;
    --quiet) quiet=1; shift ;;
    --) shift; extra=("$@"); break ;;
    -h|--help) sed -n '2,30p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument $1" ;;
  esac
done

if ! command -v qemu-system-x86_64 >/dev/null; then
  echo "run-guest: installing qemu-system-x86" >&2
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get install -y --no-install-recommends qemu-system-x86 >&2 \
    || { $sudo apt-get update >&2 && $sudo apt-get install -y --no-install-recommends qemu-system-x86 >&2; } \
    || die "cannot install qemu-system-x86"
fi
[ -n "$kernel" ] || kernel="$("$root/hack/kernel/build-kernel.sh" | tail -1)" || die "kernel build failed"
[ -n "$initrd" ] || initrd="$("$root/hack/kernel/build-initramfs.sh" | tail -1)" || die "initramfs build failed"
[ -f "$kernel" ] || die "no kernel image $kernel"
[ -f "$initrd" ] || die "no initramfs $initrd"

mkdir -p "$cache/logs"
[ -n "$log" ] || log="$cache/logs/guest-$(date +%Y%m%d-%H%M%S)-$$.log"
mkdir -p "$(dirname "$log")"
log="$(cd "$(dirname "$log")" && pwd)/$(basename "$log")"

if [ -n "$cmd" ]; then
  script="${log%.log}.guest.sh"
  { echo '#!/bin/sh'; printf '%s\n' "$cmd"; } > "$script"
fi
guest_params=""
if [ -n "$script" ]; then
  [ -f "$script" ] || die "no script $script"
  script="$(cd "$(dirname "$script")" && pwd)/$(basename "$script")"
  case "$script" in *' '*) die "script path must not contain spaces: $script" ;; esac
  guest_params="lu.script=/host$script"
fi

share_args=()
if [ -n "$share" ]; then
  [ -d "$share" ] || die "no share directory $share"
  share="$(cd "$share" && pwd)"
  case "$share" in *' '*|*,*) die "share path must not contain spaces or commas: $share" ;; esac
  guest_params="$guest_params lu.share=$share"
  share_args=(-virtfs "local,path=$share,mount_tag=lushare,security_model=none,multidevs=remap")
fi

cmdline="console=ttyS0 panic=-1 kho=on liveupdate=on $guest_params $append"
qemu=(qemu-system-x86_64 -accel tcg -cpu max -m "$mem" -smp 1 -nographic -no-reboot
      -kernel "$kernel" -initrd "$initrd" -append "$cmdline"
      -virtfs local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap
      "${share_args[@]+"${share_args[@]}"}"
      "${extra[@]+"${extra[@]}"}")
echo "run-guest: kernel=$kernel initrd=$initrd" >&2
echo "run-guest: append=$cmdline" >&2
echo "run-guest: log=$log timeout=${timeout}s" >&2

start="$EPOCHREALTIME"
stamp() {
  local line
  while IFS= read -r line || [ -n "$line" ]; do
    line="${line%$'\r'}"
    printf '%s\n' "$line" >> "$log"
    awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN{printf "[%8.3f] ", b-a}' >> "$log.ts"
    printf '%s\n' "$line" >> "$log.ts"
    [ "$quiet" = 1 ] || printf '%s\n' "$line"
  done
}
: > "$log"; : > "$log.ts"
timeout -k 5 "$timeout" "${qemu[@]}" < /dev/null 2>&1 | stamp
rcs=("${PIPESTATUS[@]}")
qrc="${rcs[0]}"
secs="$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN{printf "%.1f", b-a}')"

verdict="$(grep -a -m1 '^LUO-GUEST-RESULT: ' "$log" || true)"
if [ "$qrc" = 124 ] || [ "$qrc" = 137 ]; then
  echo "run-guest: TIMEOUT after ${timeout}s: qemu killed (log: $log)" >&2
  [ -n "$verdict" ] && echo "run-guest: last verdict seen: $verdict" >&2
  exit 3
fi
case "$verdict" in
  "LUO-GUEST-RESULT: PASS"*) echo "run-guest: PASS in ${secs}s: $verdict" >&2; exit 0 ;;
  "LUO-GUEST-RESULT: FAIL"*) echo "run-guest: FAIL in ${secs}s: $verdict (log: $log)" >&2; exit 1 ;;
  *) echo "run-guest: NO VERDICT after ${secs}s (qemu exit $qrc; log: $log)" >&2
     grep -a -m3 -E 'Kernel panic|BUG:|Oops' "$log" >&2 || true
     exit 2 ;;
esac
