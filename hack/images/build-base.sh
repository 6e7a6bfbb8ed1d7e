#!/usr/bin/env bash
# Builds the rootfs of the JVM images' shared base layer: Debian bookworm (debootstrap --variant=minbase) plus
# images/base/install-jre.sh run in a chroot, then normalised so that the same package versions give the same bytes
# (file times are set later, by the layer writer). Called by hack/build-images.sh; needs root.
#
# usage: build-base.sh ROOTFS DEB_CACHE
#   ROOTFS     an absent or empty directory to build in
#   DEB_CACHE  where downloaded .deb files are kept between builds
# Environment: LIVEUPDATE_DEBIAN_MIRROR (default http://deb.debian.org/debian), LIVEUPDATE_DEBIAN_SECURITY_MIRROR
# (default http://deb.debian.org/debian-security): e.g. snapshot.debian.org URLs to rebuild exactly a locked base.
set -euo pipefail

die() { echo "build-base: error: $*" >&2; exit 1; }
[[ $# -eq 2 ]] || die "usage: build-base.sh ROOTFS DEB_CACHE"
ROOTFS="$1"
DEBS="$2"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
SUITE=bookworm
MIRROR="${LIVEUPDATE_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
SECURITY="${LIVEUPDATE_DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}"

[[ "$(id -u)" -eq 0 ]] || die "debootstrap and chroot need root"
[[ ! -e "$ROOTFS" ]] || [[ -z "$(ls -A "$ROOTFS")" ]] || die "$ROOTFS is not empty"
mkdir -p "$ROOTFS" "$DEBS/debootstrap" "$DEBS/apt/partial"
LOG="$(dirname "$ROOTFS")/build-base.log"

echo "build-base: debootstrap --variant=minbase $SUITE from $MIRROR (log: $LOG)"
# In a private mount namespace: debootstrap mounts /proc and /sys in the target, and a debootstrap that is killed
# would leave them mounted there (where an rm -rf of the rootfs then reaches the host's).
if ! unshare --mount --propagation private \
        debootstrap --variant=minbase --arch=amd64 --cache-dir="$DEBS/debootstrap" "$SUITE" "$ROOTFS" "$MIRROR" \
        >"$LOG" 2>&1; then
    tail -20 "$LOG" >&2
    die "debootstrap failed (full log: $LOG; $ROOTFS/debootstrap/debootstrap.log)"
fi

# apt in the chroot: the same mirror plus updates and security (the JRE gets its fixes there).
cat > "$ROOTFS/etc/apt/sources.list" <<SOURCES
deb $MIRROR $SUITE main
deb $MIRROR $SUITE-updates main
deb $SECURITY $SUITE-security main
SOURCES
cp /etc/resolv.conf "$ROOTFS/etc/resolv.conf"
cp "$ROOT/images/base/install-jre.sh" "$ROOTFS/tmp/install-jre.sh"

echo "build-base: installing the JRE in the chroot"
# A private mount namespace: /proc (the JRE's postinst runs java) and the .deb cache vanish with the process,
# whatever happens. The cache is bind-mounted as apt's archive directory; LIVEUPDATE_KEEP_APT_CACHE keeps
# install-jre.sh from emptying it.
if ! unshare --mount --propagation private bash -c '
        set -e
        mount -t proc proc "$1/proc"
        mount --bind "$2" "$1/var/cache/apt/archives"
        LIVEUPDATE_KEEP_APT_CACHE=1 chroot "$1" /bin/sh /tmp/install-jre.sh
    ' _ "$ROOTFS" "$DEBS/apt" >>"$LOG" 2>&1; then
    tail -20 "$LOG" >&2
    die "installing the JRE failed (full log: $LOG)"
fi

echo "build-base: normalising"
# What debootstrap copies from this host, and what the image's runtime supplies (resolv.conf, hostname, /dev, ...).
rm -f "$ROOTFS/etc/resolv.conf" "$ROOTFS/etc/hostname" "$ROOTFS/tmp/install-jre.sh"
cat > "$ROOTFS/etc/apt/sources.list" <<SOURCES
deb http://deb.debian.org/debian $SUITE main
deb http://deb.debian.org/debian $SUITE-updates main
deb http://deb.debian.org/debian-security $SUITE-security main
SOURCES
if grep -q " ${ROOTFS}/" /proc/mounts; then die "something is still mounted under $ROOTFS"; fi
find "$ROOTFS/dev" "$ROOTFS/proc" "$ROOTFS/sys" "$ROOTFS/run" "$ROOTFS/tmp" "$ROOTFS/var/tmp" \
    -mindepth 1 -maxdepth 1 -exec rm -rf --one-file-system {} +
rm -rf "$ROOTFS/debootstrap" "$ROOTFS/var/cache/apt/archives"/*.deb
# Caches and identities that differ from run to run.
rm -f "$ROOTFS/var/cache/ldconfig/aux-cache" "$ROOTFS/etc/machine-id" "$ROOTFS/var/lib/dbus/machine-id"
# The shadow/passwd tools' backup copies, and today's date in /etc/shadow (days since the epoch of the last
# password change: no password is set in this image).
rm -f "$ROOTFS/etc/passwd-" "$ROOTFS/etc/group-" "$ROOTFS/etc/shadow-" "$ROOTFS/etc/gshadow-" \
    "$ROOTFS/etc/subuid-" "$ROOTFS/etc/subgid-"
sed -i -E 's/^([^:]*:[^:]*:)[0-9]*:/\1:/' "$ROOTFS/etc/shadow"
# ca-certificates-java stamps each certificate of the JRE's trust store with the time of the install: use the
# certificates' own time instead (the newest file of the ca-certificates package, which dpkg unpacked with its date).
cacerts="$ROOTFS/etc/ssl/certs/java/cacerts"
if [[ -f "$cacerts" ]]; then
    certs_time="$(find "$ROOTFS/usr/share/ca-certificates" -type f -printf '%T@\n' | sort -n | tail -1 | cut -d. -f1)"
    python3 "$ROOT/hack/images/jks-fixed-dates.py" "$cacerts" "$certs_time" || die "could not normalise $cacerts"
fi
chmod 1777 "$ROOTFS/tmp" "$ROOTFS/var/tmp"
echo "build-base: done"
