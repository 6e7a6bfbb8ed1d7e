#!/usr/bin/env bash
# Build a small LUO-capable (Live Update Orchestrator, generation B) x86-64
# kernel from Debian sid's linux-source-7.2 package (the series the conformance
# table and the simulator's 7.x revision were checked against; its newest
# upload in sid, since sid keeps only one).
#
#   hack/kernel/build-kernel.sh            # prints the bzImage path (last line)
#
# Idempotent. Cache layout under ${LIVEUPDATE_CACHE:-$HOME/.cache/liveupdate-operator}:
#   apt-sid/                     private apt lists/cache for the sid suite
#   kernel/src/<version>/        unpacked kernel tree (shared by all fragments)
#   kernel/<version>-<sha12>/    bzImage, config, source-version, build log
# where <version> is the Debian source package version (e.g. 7.2.13-1) and
# <sha12> the first 12 hex digits of sha256(hack/kernel/luo.config).
#
# The system's apt sources and lists are never touched: sid is reached through
# a private sources list passed with -o Dir::Etc::sourcelist=... .
#
# Environment:
#   LIVEUPDATE_CACHE            cache root (default ~/.cache/liveupdate-operator)
#   LIVEUPDATE_SID_MIRROR       archive URI (default: taken from /etc/apt sources)
#   LIVEUPDATE_SID_MAX_AGE      seconds before the private sid index is refreshed (default 86400)
#   LIVEUPDATE_KERNEL_SOURCE    package name(s) to choose from (default linux-source-7.2; "any" = the newest
#                               linux-source-X.Y >= 6.19 in sid, e.g. to try a new series before pinning it)
#   LIVEUPDATE_JOBS             make -j (default: nproc)
#   LIVEUPDATE_KERNEL_PREFER_CACHED=1
#                               use the newest cached build for this fragment
#                               without asking sid (no surprise rebuild when
#                               sid moves on); builds only if none is cached
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
frag="$here/luo.config"
cache="${LIVEUPDATE_CACHE:-$HOME/.cache/liveupdate-operator}"
aptdir="$cache/apt-sid"
kdir="$cache/kernel"
jobs="${LIVEUPDATE_JOBS:-$(nproc)}"
max_age="${LIVEUPDATE_SID_MAX_AGE:-86400}"

log() { echo "build-kernel: $*" >&2; }
die() { echo "build-kernel: ERROR: $*" >&2; exit 1; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$(now)" 'BEGIN{printf "%.1f", b-a}'; }

[ -f "$frag" ] || die "missing config fragment $frag"
frag_sha="$(sha256sum "$frag" | cut -c1-12)"

# ---------------------------------------------------------------- build deps
ensure_deps() {
  local want=(flex bison bc make gcc libc6-dev libelf-dev libssl-dev xz-utils
              cpio perl python3 dpkg-dev)
  local missing=() p
  for p in "${want[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' \
      || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing build dependencies: ${missing[*]}"
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get install -y --no-install-recommends "${missing[@]}" >&2 || {
    $sudo apt-get update >&2 && \
    $sudo apt-get install -y --no-install-recommends "${missing[@]}" >&2; } \
    || die "could not install ${missing[*]}"
}

# ------------------------------------------------------- private sid sources
sid_mirror() {
  if [ -n "${LIVEUPDATE_SID_MIRROR:-}" ]; then echo "$LIVEUPDATE_SID_MIRROR"; return; fi
  local f uri
  # deb822 *.sources files: "URIs: http://host/debian"
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    uri="$(awk 'tolower($1)=="uris:" {for(i=2;i<=NF;i++) if ($i ~ /\/debian\/?$/) {print $i; exit}}' "$f")"
    [ -n "$uri" ] && { echo "${uri%/}"; return; }
  done
  # one-line style: "deb [opts] http://host/debian suite comps"
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -f "$f" ] || continue
    uri="$(sed -e 's/\[[^]]*\]//' "$f" | awk '$1=="deb" && $2 ~ /\/debian\/?$/ {print $2; exit}')"
    [ -n "$uri" ] && { echo "${uri%/}"; return; }
  done
  echo "http://deb.debian.org/debian"
}

APT_OPTS=()
setup_apt() {
  mkdir -p "$aptdir/lists/partial" "$aptdir/cache/archives/partial"
  local mirror signed=""
  mirror="$(sid_mirror)"
  [ -f /usr/share/keyrings/debian-archive-keyring.gpg ] \
    && signed="[signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] "
  echo "deb ${signed}${mirror} sid main" > "$aptdir/sources.list.new"
  if ! cmp -s "$aptdir/sources.list.new" "$aptdir/sources.list" 2>/dev/null; then
    mv "$aptdir/sources.list.new" "$aptdir/sources.list"
    rm -f "$aptdir/updated.stamp"
  else
    rm -f "$aptdir/sources.list.new"
  fi
  APT_OPTS=(
    -o "Dir::Etc::sourcelist=$aptdir/sources.list"
    -o "Dir::Etc::sourceparts=-"
    -o "Dir::State::Lists=$aptdir/lists"
    -o "Dir::Cache=$aptdir/cache"
    -o "Acquire::IndexTargets::deb::DEP-11::DefaultEnabled=false"
    -o "APT::Update::Post-Invoke-Success::="
    -o "APT::Update::Post-Invoke::="
    -o "APT::Get::List-Cleanup=true"
  )
}

sid_update() {
  local stamp="$aptdir/updated.stamp" age
  if [ -f "$stamp" ]; then
    age=$(( $(date +%s) - $(stat -c %Y "$stamp") ))
    if [ "$age" -lt "$max_age" ]; then return 0; fi
  fi
  local t0; t0="$(now)"
  log "refreshing private sid index ($(head -1 "$aptdir/sources.list"))"
  if apt-get "${APT_OPTS[@]}" -q update --error-on=any >"$aptdir/update.log" 2>&1; then
    touch "$stamp"
    log "sid index refreshed in $(elapsed "$t0")s"
  else
    log "WARNING: apt-get update for sid failed (see $aptdir/update.log)"
    return 1
  fi
}

# The pinned series (or the newest linux-source-X.Y >= 6.19 with "any"), printed as "<package> <version>".
pick_source() {
  local pkgs p best="" bestv="" want="${LIVEUPDATE_KERNEL_SOURCE:-linux-source-7.2}"
  if [ "$want" != any ]; then
    pkgs="$want"
  else
    pkgs="$(apt-cache "${APT_OPTS[@]}" pkgnames linux-source- 2>/dev/null \
            | grep -E '^linux-source-[0-9]+\.[0-9]+$' || true)"
  fi
  for p in $pkgs; do
    local xy="${p#linux-source-}"
    # LUO generation B was merged in 6.19
    dpkg --compare-versions "$xy" ge 6.19 || continue
    if [ -z "$best" ] || dpkg --compare-versions "$xy" gt "${best#linux-source-}"; then
      best="$p"
    fi
  done
  [ -n "$best" ] || return 1
  bestv="$(apt-cache "${APT_OPTS[@]}" policy "$best" | awk '$1=="Candidate:"{print $2}')"
  [ -n "$bestv" ] && [ "$bestv" != "(none)" ] || return 1
  echo "$best $bestv"
}

# Most recently built cached kernel for this fragment (offline fallback).
cached_build() {
  local d
  for d in $(ls -td "$kdir"/*-"$frag_sha" 2>/dev/null); do
    if [ -f "$d/bzImage" ] && [ -f "$d/source-version" ]; then echo "$d"; return 0; fi
  done
  return 1
}

# ------------------------------------------------------------------- source
fetch_source() { # $1=package $2=version -> unpacked tree in $srcdir
  local pkg="$1" ver="$2"
  srcdir="$kdir/src/$ver"
  [ -f "$srcdir/.unpacked" ] && return 0
  local tmp="$kdir/src/.tmp-$ver"
  rm -rf "$tmp" "$srcdir"
  mkdir -p "$tmp"
  local t0; t0="$(now)"
  log "downloading $pkg=$ver from sid"
  (cd "$tmp" && apt-get "${APT_OPTS[@]}" -q download "$pkg=$ver" >&2) \
    || die "apt-get download $pkg=$ver failed"
  log "downloaded in $(elapsed "$t0")s ($(du -h "$tmp"/*.deb | cut -f1))"
  t0="$(now)"
  dpkg-deb -x "$tmp"/*.deb "$tmp/deb"
  local tarball
  tarball="$(ls "$tmp"/deb/usr/src/linux-source-*.tar.* | head -1)"
  [ -f "$tarball" ] || die "no kernel tarball in $pkg"
  mkdir -p "$tmp/tree"
  tar -C "$tmp/tree" -xf "$tarball"
  local top
  top="$(ls "$tmp/tree" | head -1)"
  mv "$tmp/tree/$top" "$srcdir"
  rm -rf "$tmp"
  echo "$pkg $ver" > "$srcdir/.unpacked"
  log "unpacked to $srcdir in $(elapsed "$t0")s"
}

# ------------------------------------------------------------------- config
required=(LIVEUPDATE KEXEC_HANDOVER LIVEUPDATE_MEMFD)

configure() { # $1=srcdir $2=builddir
  local src="$1" bld="$2"
  mkdir -p "$bld"
  make -C "$src" O="$bld" ARCH=x86_64 -s tinyconfig >&2
  local line opt val
  local args=()
  while IFS= read -r line; do
    case "$line" in
      CONFIG_*=y) opt="${line%%=*}"; args+=(--enable "${opt#CONFIG_}") ;;
      CONFIG_*=m) opt="${line%%=*}"; args+=(--module "${opt#CONFIG_}") ;;
      "# CONFIG_"*" is not set") opt="${line#\# CONFIG_}"; args+=(--disable "${opt%% *}") ;;
      CONFIG_*=*) opt="${line%%=*}"; val="${line#*=}"
                  args+=(--set-val "${opt#CONFIG_}" "$val") ;;
    esac
  done < "$frag"
  "$src/scripts/config" --file "$bld/.config" "${args[@]}"
  make -C "$src" O="$bld" ARCH=x86_64 -s olddefconfig >&2
  # Two passes: some options only become visible once their dependencies are
  # on (olddefconfig drops them otherwise).
  "$src/scripts/config" --file "$bld/.config" "${args[@]}"
  make -C "$src" O="$bld" ARCH=x86_64 -s olddefconfig >&2

  local missing_req=() dropped=()
  for opt in "${required[@]}"; do
    grep -qx "CONFIG_$opt=y" "$bld/.config" || missing_req+=("CONFIG_$opt")
  done
  while IFS= read -r line; do
    case "$line" in
      CONFIG_*=y) grep -qx "$line" "$bld/.config" || dropped+=("${line%%=*}") ;;
    esac
  done < "$frag"
  if [ ${#dropped[@]} -gt 0 ]; then
    log "WARNING: fragment options not set after olddefconfig: ${dropped[*]}"
  fi
  if [ ${#missing_req[@]} -gt 0 ]; then
    die "required LUO options did not survive olddefconfig: ${missing_req[*]} (see $bld/.config)"
  fi
}

# --------------------------------------------------------------------- main
main() {
  local t_start; t_start="$(now)"
  if [ "${LIVEUPDATE_KERNEL_PREFER_CACHED:-0}" = 1 ]; then
    local c
    if c="$(cached_build)"; then
      log "cached (prefer-cached): $(grep -E '^version=' "$c/source-version"), fragment $frag_sha"
      echo "$c/bzImage"
      return 0
    fi
  fi
  ensure_deps
  setup_apt
  local pick="" pkg ver c
  sid_update || log "WARNING: using the previous sid index, if any"
  if ! pick="$(pick_source)"; then
    c="$(cached_build)" \
      || die "no linux-source-X.Y >= 6.19 known from sid and no cached kernel for fragment $frag_sha"
    log "WARNING: sid index unusable; using cached $(grep -E '^version=' "$c/source-version")"
    echo "$c/bzImage"
    return 0
  fi
  pkg="${pick% *}"; ver="${pick#* }"
  local out="$kdir/$ver-$frag_sha"
  if [ -f "$out/bzImage" ] && [ -f "$out/source-version" ]; then
    log "cached: $pkg $ver, fragment $frag_sha"
    echo "$out/bzImage"
    return 0
  fi

  fetch_source "$pkg" "$ver"
  local bld="$kdir/build/$ver-$frag_sha"
  rm -rf "$bld"
  local t0; t0="$(now)"
  configure "$srcdir" "$bld"
  log "configured in $(elapsed "$t0")s; building bzImage with -j$jobs"
  t0="$(now)"
  if ! make -C "$srcdir" O="$bld" ARCH=x86_64 -j"$jobs" bzImage >"$bld/build.log" 2>&1; then
    tail -40 "$bld/build.log" >&2
    die "kernel build failed (full log: $bld/build.log)"
  fi
  local build_secs; build_secs="$(elapsed "$t0")"
  log "built in ${build_secs}s"

  mkdir -p "$out.tmp"
  cp "$bld/arch/x86/boot/bzImage" "$out.tmp/bzImage"
  cp "$bld/.config" "$out.tmp/config"
  cp "$frag" "$out.tmp/luo.config"
  cp "$bld/build.log" "$out.tmp/build.log"
  make -C "$srcdir" O="$bld" -s kernelrelease > "$out.tmp/kernelrelease" 2>/dev/null || true
  {
    echo "package=$pkg"
    echo "version=$ver"
    echo "fragment_sha256_12=$frag_sha"
    echo "kernelrelease=$(cat "$out.tmp/kernelrelease")"
    echo "build_seconds=$build_secs"
    echo "jobs=$jobs"
    echo "built_at=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  } > "$out.tmp/source-version"
  rm -rf "$out"
  mv "$out.tmp" "$out"
  rm -rf "$bld"   # object tree is ~100 MB; the source tree stays for rebuilds
  # Keep only the newest unpacked source tree (~1.5 GB each).
  local old
  for old in "$kdir"/src/*; do
    [ "$old" = "$srcdir" ] || rm -rf "$old"
  done
  log "total $(elapsed "$t_start")s"
  echo "$out/bzImage"
}

main "$@"
