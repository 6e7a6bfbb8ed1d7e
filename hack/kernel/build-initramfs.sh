#!/usr/bin/env bash
# Build the generic guest initramfs (gzip'd newc cpio) from busybox-static and
# hack/kernel/initramfs/init. Prints the path of the image (last line).
#
#   hack/kernel/build-initramfs.sh                 # cached generic image
#   hack/kernel/build-initramfs.sh -o out.cpio.gz --cmd 'echo hi' \
#        --add ./prog:/bin/prog                    # custom image
#
# The generic image runs whatever the kernel command line names
# (lu.script=/host/... or lu.cmd="..."), so one image serves every stage,
# including the kexec target: no need to bake commands in. --cmd bakes a
# default command into /etc/lu/cmd; --add copies host files into the image.
#
# Without -o the image goes to
#   ${LIVEUPDATE_CACHE:-$HOME/.cache/liveupdate-operator}/initramfs/<sha12>/initramfs.cpio.gz
# where <sha12> covers /init, the busybox binary, --cmd and the --add files.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cache="${LIVEUPDATE_CACHE:-$HOME/.cache/liveupdate-operator}"
init="$here/initramfs/init"
out=""
cmd=""
adds=()

die() { echo "build-initramfs: ERROR: $*" >&2; exit 1; }
usage() { sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }

while [ $# -gt 0 ]; do
  case "$1" in
    -o|--output) out="$2"; shift 2 ;;
    --cmd) cmd="$2"; shift 2 ;;
    --add) adds+=("$2"); shift 2 ;;
    -h|--help) usage ;;
    *) die "unknown argument $1" ;;
  esac
done

ensure_deps() {
  local missing=() p
  for p in busybox-static cpio gzip; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' \
      || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "build-initramfs: installing ${missing[*]}" >&2
  local sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get install -y --no-install-recommends "${missing[@]}" >&2 || {
    $sudo apt-get update >&2 && \
    $sudo apt-get install -y --no-install-recommends "${missing[@]}" >&2; } \
    || die "could not install ${missing[*]}"
}
ensure_deps
bb="$(dpkg -L busybox-static | grep -E '/bin/busybox$' | head -1)"
[ -x "$bb" ] || die "busybox-static binary not found"
file "$bb" 2>/dev/null | grep -q 'dynamically' && die "$bb is not static"

# Cache key
key="$( { sha256sum "$init" "$bb" | cut -d' ' -f1; printf 'cmd=%s\n' "$cmd";
          for a in "${adds[@]+"${adds[@]}"}"; do
            printf 'add=%s\n' "$a"; sha256sum "${a%%:*}" | cut -d' ' -f1; done; } \
        | sha256sum | cut -c1-12)"
if [ -z "$out" ]; then
  out="$cache/initramfs/$key/initramfs.cpio.gz"
  if [ -f "$out" ]; then echo "$out"; exit 0; fi
fi
mkdir -p "$(dirname "$out")"

stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage"/{bin,sbin,usr/bin,usr/sbin,etc/lu,proc,sys,dev,tmp,run,host,root}
cp "$bb" "$stage/bin/busybox"
for app in $("$bb" --list-full); do
  [ -e "$stage/$app" ] || ln -s /bin/busybox "$stage/$app"
done
install -m 0755 "$init" "$stage/init"
[ -n "$cmd" ] && printf '%s\n' "$cmd" > "$stage/etc/lu/cmd"
for a in "${adds[@]+"${adds[@]}"}"; do
  src="${a%%:*}"; dst="${a#*:}"
  [ "$dst" = "$a" ] && dst="/bin/$(basename "$src")"
  mkdir -p "$stage/$(dirname "$dst")"
  cp -L "$src" "$stage/$dst"
done
# The kernel opens /dev/console for init before devtmpfs is mounted.
mknod -m 600 "$stage/dev/console" c 5 1 2>/dev/null || true
echo 'root:x:0:0:root:/root:/bin/sh' > "$stage/etc/passwd"
echo 'root:x:0:' > "$stage/etc/group"

( cd "$stage" && find . -mindepth 1 | LC_ALL=C sort \
    | cpio --quiet -o -H newc -R 0:0 ) | gzip -9n > "$out.tmp"
mv "$out.tmp" "$out"
echo "$out"
