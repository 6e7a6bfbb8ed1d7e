# Helpers for guest scripts (busybox sh in the test initramfs, see hack/kernel/initramfs/init).
# Source it:  . "$(dirname "$0")/../guest/lib.sh"
#
# The guest runs the HOST's programs (JVM, jars) by chroot into the read-only 9p share of the
# host root at /host; run-guest.sh --share <dir> adds a writable share mounted over /host<dir>
# (LU_SHARE), which keeps the same path inside the chroot and survives kexec.

# LU_SHARE is the writable directory's path on the host and inside the chroot; this shell (the
# initramfs) sees it as $SHARE.
SHARE="/host${LU_SHARE:-/nonexistent}"

# Mount what a chroot into /host needs: proc, sysfs, devtmpfs (with /dev/liveupdate), a writable
# tmpfs on /tmp and /run. Brings up lo (the agent's HTTP server).
guest_chroot_setup() {
  grep -q ' /host/proc ' /proc/mounts || mount -t proc proc /host/proc
  grep -q ' /host/sys ' /proc/mounts || mount -t sysfs sysfs /host/sys
  grep -q ' /host/dev ' /proc/mounts || mount -t devtmpfs devtmpfs /host/dev
  grep -q ' /host/tmp ' /proc/mounts || guest_writable_tmp
  grep -q ' /host/run ' /proc/mounts || mount -t tmpfs -o mode=0755 tmpfs /host/run
  ip link set lo up 2>/dev/null || ifconfig lo 127.0.0.1 up 2>/dev/null || true
}

# /tmp must be writable (the JVM and Vert.x keep scratch files there), but the repository under test
# may itself live under the host's /tmp (CI clones anywhere), and so may the cache with the kernel,
# the initramfs and the writable share (LIVEUPDATE_CACHE): keep just those top-level /tmp entries
# visible inside the new tmpfs (the repository is the one this script came from), then mount the
# writable share again if it was under /tmp (a bind mount does not carry the 9p mount inside it).
guest_writable_tmp() {
  _repo="$(cd "$(dirname "$0")/../.." 2>/dev/null && pwd)"      # e.g. /host/tmp/ci-clone
  _keep=""
  for _p in "$_repo" "/host${LU_SHARE:-/nonexistent}"; do
    case "$_p" in /host/tmp/?*) _n="${_p#/host/tmp/}"; _n="${_n%%/*}"
      case " $_keep " in *" $_n "*) ;; *) _keep="$_keep $_n" ;; esac ;;
    esac
  done
  _share_moved=""
  case "${LU_SHARE:-}" in
    /tmp/?*)   # a 9p tag can be mounted once: move the mount out of the way and back
      mkdir -p /.share-hold
      mount -o move "/host$LU_SHARE" /.share-hold && _share_moved=1 ;;
  esac
  for _n in $_keep; do
    mkdir -p "/.host-tmp-keep/$_n"
    mount -o bind "/host/tmp/$_n" "/.host-tmp-keep/$_n"
  done
  mount -t tmpfs -o mode=1777 tmpfs /host/tmp
  for _n in $_keep; do
    mkdir -p "/host/tmp/$_n"
    mount -o bind "/.host-tmp-keep/$_n" "/host/tmp/$_n"
  done
  if [ -n "$_share_moved" ]; then
    mount -o move /.share-hold "/host$LU_SHARE" || echo "LUO-GUEST: cannot put the writable share back on /host$LU_SHARE" >&2
  fi
}

# Run a host program in the chroot with a clean environment; extra VAR=value words may come first.
in_host() {
  chroot /host /usr/bin/env -i PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin HOME=/root LANG=C.UTF-8 TZ=UTC "$@"
}

# The guest's wall clock comes from the emulated RTC, which has whole seconds only, so two boots
# disagree by up to a second. The 9p server stamps a touched file with the host's clock (ns):
# set the guest clock from that, so wall-clock times taken in different boots (the agent's
# rebootIssuedAt and sessionsRestoredAt) can be subtracted. Needs LU_SHARE.
guest_clock_from_host() {
  [ -n "${LU_SHARE:-}" ] || return 0
  _f="$LU_SHARE/.clock-$$"
  in_host /bin/sh -c "touch '$_f' && date -u -s @\$(stat -c %.9Y '$_f') >/dev/null; rm -f '$_f'"
  echo "LUO-GUEST: clock set from the host: $(in_host date -u +%Y-%m-%dT%H:%M:%S.%3NZ)"
}

# Epoch seconds with nanoseconds (GNU date in the chroot; busybox date has no %N).
now_ns() {
  in_host date +%s.%N
}

# Wait up to $1 seconds for the shell condition $2 (polling every 0.2 s); returns 1 on timeout.
wait_for() {
  _limit="$1"; shift
  _start="$(cut -d. -f1 /proc/uptime)"
  while ! eval "$1"; do
    [ $(( $(cut -d. -f1 /proc/uptime) - _start )) -ge "$_limit" ] && return 1
    sleep 0.2
  done
  return 0
}
