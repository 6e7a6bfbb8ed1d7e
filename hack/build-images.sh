#!/usr/bin/env bash
# Builds the project's container images as OCI image archives, without a container engine or a registry:
#   operator, node-agent, sample-workload  a Debian bookworm + openjdk-17-jre-headless base layer (debootstrap, cached)
#                                          and one app layer each
#   pause, generic-device-plugin           one static binary each (gcc -static; go build with CGO off)
# Each image is what images/<name>/Containerfile builds with docker/podman/buildah: this script reads the
# Containerfile's final stage (COPY, ENV, LABEL, USER, WORKDIR, ENTRYPOINT, CMD, EXPOSE) and builds it itself.
# Same commit and same base packages: same digests (docs/images.md "Reproducibility").
#
# usage: hack/build-images.sh [--out DIR] [--only a,b] [--import ADDRESS] [--check-reproducible]
#                             [--check-reproducible-base] [--update-lock] [--strict-lock]
#   --out DIR             where the archives and images.tsv go (default: target/images)
#   --only a,b            only these images (operator,node-agent,sample-workload,pause,generic-device-plugin)
#   --import ADDRESS      then `ctr --address ADDRESS -n k8s.io images import` each archive (a containerd socket),
#                         also named <repository>@<manifest digest> for digest-pinned chart values
#   --check-reproducible  build the app layers again into a temporary directory (and the base layer again from the
#                         cached rootfs) and fail unless every digest is the same
#   --check-reproducible-base  also debootstrap a second base rootfs (minutes, network) and compare its layer
#   --update-lock         build the base rootfs afresh from today's Debian and rewrite images/base/packages.lock
#   --strict-lock         fail instead of warning when the base packages differ from the lock
# Environment: LIVEUPDATE_CACHE (default ~/.cache/liveupdate-operator; the base is cached in <it>/images),
# SOURCE_DATE_EPOCH (default: the commit's time), LIVEUPDATE_IMAGE_SOURCE (the source label), and
# LIVEUPDATE_DEBIAN_MIRROR / LIVEUPDATE_DEBIAN_SECURITY_MIRROR (hack/images/build-base.sh).
# Needs: python3 and git; root, debootstrap, unshare and chroot for the base (only when it is not cached); gcc with
# static glibc for pause; go for generic-device-plugin; ctr for --import.
set -euo pipefail
shopt -s inherit_errexit

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ALL=(operator node-agent sample-workload pause generic-device-plugin)
JVM_IMAGES=" operator node-agent sample-workload "
OUT="${ROOT}/target/images"
ONLY=""
IMPORT=""
CHECK=0
CHECK_BASE=0
UPDATE_LOCK=0
STRICT_LOCK=0
CACHE="${LIVEUPDATE_CACHE:-${HOME:-/root}/.cache/liveupdate-operator}/images"
LOCK="${ROOT}/images/base/packages.lock"
OCI=(python3 "${ROOT}/hack/images/oci.py")
MVN_HINT="mvn -B -o -q package -DskipTests -pl operator,node-agent,agent-client -am"

die() { echo "build-images: error: $*" >&2; exit 1; }
note() { echo "build-images: $*" >&2; }
usage() { sed -n '2,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0"; }

while [[ $# -gt 0 ]]; do
    case "$1" in
        --out) [[ $# -ge 2 ]] || die "--out needs a directory"; OUT="$2"; shift 2 ;;
        --only) [[ $# -ge 2 ]] || die "--only needs a list"; ONLY="$2"; shift 2 ;;
        --import) [[ $# -ge 2 ]] || die "--import needs a containerd socket address"; IMPORT="$2"; shift 2 ;;
        --check-reproducible) CHECK=1; shift ;;
        --check-reproducible-base) CHECK=1; CHECK_BASE=1; shift ;;
        --update-lock) UPDATE_LOCK=1; shift ;;
        --strict-lock) STRICT_LOCK=1; shift ;;
        -h|--help) usage; exit 0 ;;
        *) usage >&2; die "unknown option $1" ;;
    esac
done

SELECTED=()
if [[ -n "$ONLY" ]]; then
    IFS=',' read -r -a wanted <<<"$ONLY"
    for w in "${wanted[@]}"; do
        [[ " ${ALL[*]} " == *" $w "* ]] || die "--only: unknown image '$w' (known: ${ALL[*]})"
    done
    for n in "${ALL[@]}"; do [[ ",$ONLY," == *",$n,"* ]] && SELECTED+=("$n"); done
else
    SELECTED=("${ALL[@]}")
fi
needs_base=$UPDATE_LOCK
for n in "${SELECTED[@]}"; do [[ "$JVM_IMAGES" == *" $n "* ]] && needs_base=1; done
selected() { [[ " ${SELECTED[*]} " == *" $1 "* ]]; }

# ------------------------------------------------------------------------------------------------- tools
command -v python3 >/dev/null || die "python3 not found: run hack/install-prereqs.sh"
python3 -c 'import sys; sys.exit(sys.version_info < (3, 8))' || die "python3 >= 3.8 needed: run hack/install-prereqs.sh"
command -v git >/dev/null || die "git not found"
if selected pause; then
    command -v gcc >/dev/null || die "gcc not found (the pause image is compiled with gcc -static): apt-get install gcc"
fi
if selected generic-device-plugin; then
    command -v go >/dev/null || die "go not found (the generic-device-plugin image is built with go build): see README"
fi
if [[ -n "$IMPORT" ]]; then
    command -v ctr >/dev/null || die "ctr not found (--import): run hack/install-prereqs.sh (Debian's containerd)"
fi

# ------------------------------------------------------------------------------------------------ inputs
APP_VERSION="$(awk -F'"' '/^appVersion:/ { print $2 }' "${ROOT}/helm/liveupdate-operator/Chart.yaml")"
[[ -n "$APP_VERSION" ]] || die "no appVersion in helm/liveupdate-operator/Chart.yaml"
PAUSE_VERSION="$(tr -d '[:space:]' < "${ROOT}/images/pause/VERSION")"
DP_VERSION="$(awk -F= '$1 == "DEVICE_PLUGIN_VERSION" { print $2 }' "${ROOT}/tools/versions.env")"
[[ -n "$DP_VERSION" ]] || die "tools/versions.env has no DEVICE_PLUGIN_VERSION"
REVISION="$(git -C "$ROOT" rev-parse HEAD)"
if ! git -C "$ROOT" diff --quiet HEAD -- 2>/dev/null; then
    REVISION="${REVISION}-dirty"
    note "the work tree has uncommitted changes: revision label ${REVISION}"
fi
EPOCH="${SOURCE_DATE_EPOCH:-$(git -C "$ROOT" log -1 --format=%ct HEAD)}"
SOURCE="${LIVEUPDATE_IMAGE_SOURCE:-$(awk '/^home:/ { print $2 }' "${ROOT}/helm/liveupdate-operator/Chart.yaml")}"

reference() {
    case "$1" in
        operator) echo "docker.io/liveupdate/liveupdate-operator:${APP_VERSION}" ;;
        node-agent) echo "docker.io/liveupdate/liveupdate-node-agent:${APP_VERSION}" ;;
        sample-workload) echo "docker.io/liveupdate/sample-workload:${APP_VERSION}" ;;
        pause) echo "docker.io/liveupdate/pause:${PAUSE_VERSION}" ;;
        generic-device-plugin) echo "docker.io/liveupdate/generic-device-plugin:${DP_VERSION#v}" ;;
    esac
}
version_of() {
    case "$1" in
        pause) echo "$PAUSE_VERSION" ;;
        generic-device-plugin) echo "${DP_VERSION#v}" ;;
        *) echo "$APP_VERSION" ;;
    esac
}

# The Maven outputs the JVM images copy; built before any work here so a missing one fails in a second.
check_input() { # image, path, module
    [[ -e "${ROOT}/$2" ]] || die "$1: ${2} is missing: build it first with: ${MVN_HINT}"
    if [[ -n "$(find "${ROOT}/$3/src/main" -newer "${ROOT}/$2" -type f -print -quit 2>/dev/null)" ]]; then
        note "WARNING: $1: $3/src/main has files newer than ${2}: rebuild with: ${MVN_HINT}"
    fi
}
selected operator && check_input operator operator/target/quarkus-app/quarkus-run.jar operator
selected node-agent && check_input node-agent node-agent/target/quarkus-app/quarkus-run.jar node-agent
selected sample-workload && check_input sample-workload agent-client/target/lu-client.jar agent-client

mkdir -p "$OUT" "$CACHE"
OUT="$(cd "$OUT" && pwd)"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/build-images.XXXXXX")"
trap 'rm -rf --one-file-system "$WORK"' EXIT
start=$SECONDS

# --------------------------------------------------------------------------------------------- base layer
BASE_LAYER=""
BASE_CREATED_BY="debootstrap --variant=minbase bookworm; images/base/install-jre.sh (hack/images/build-base.sh)"
if [[ "$needs_base" == 1 ]]; then
    MIRROR="${LIVEUPDATE_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
    SECURITY="${LIVEUPDATE_DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}"
    # The rootfs depends on its build scripts, the mirrors and the day (Debian moves on): cached by the first two,
    # rebuilt from today's Debian only on --update-lock or when missing.
    rootfs_key="$( { cat "${ROOT}/hack/images/build-base.sh" "${ROOT}/images/base/install-jre.sh";
                     echo "bookworm amd64 $MIRROR $SECURITY"; } | sha256sum | cut -c1-16)"
    rootfs_dir="${CACHE}/rootfs-${rootfs_key}"
    if [[ "$UPDATE_LOCK" == 1 || ! -f "${rootfs_dir}/complete" ]]; then
        [[ "$(id -u)" -eq 0 ]] || die "the base rootfs is not cached (${rootfs_dir}): building it needs root (debootstrap, chroot)"
        for t in debootstrap unshare chroot dpkg-query; do
            command -v "$t" >/dev/null || die "$t not found (building the base rootfs): run hack/install-prereqs.sh"
        done
        note "building the base rootfs (debootstrap; a few minutes, cached afterwards in ${rootfs_dir})"
        t0=$SECONDS
        tmp_rootfs="${rootfs_dir}.tmp$$"
        rm -rf --one-file-system "$tmp_rootfs"
        mkdir -p "$tmp_rootfs"
        bash "${ROOT}/hack/images/build-base.sh" "${tmp_rootfs}/rootfs" "${CACHE}/debs"
        dpkg-query --admindir="${tmp_rootfs}/rootfs/var/lib/dpkg" -W -f '${Package}=${Version}\n' | LC_ALL=C sort \
            > "${tmp_rootfs}/packages.txt"
        touch "${tmp_rootfs}/complete"
        rm -rf --one-file-system "$rootfs_dir"
        mv "$tmp_rootfs" "$rootfs_dir"
        note "base rootfs built in $((SECONDS - t0)) s"
    fi
    lock_flags=()
    [[ "$UPDATE_LOCK" == 1 ]] && lock_flags+=(--update-lock)
    [[ "$STRICT_LOCK" == 1 ]] && lock_flags+=(--strict-lock)
    BASE_LAYER="$("${OCI[@]}" base-layer --rootfs "${rootfs_dir}/rootfs" --packages "${rootfs_dir}/packages.txt" \
        --rootfs-key "$rootfs_key" --lock "$LOCK" --cache "$CACHE" "${lock_flags[@]}" \
        --created-by "$BASE_CREATED_BY")" || die "the base layer failed (see above)"
fi

# ----------------------------------------------------------------------------------------- binary artifacts
# The same commands as the `build` stages of images/pause/Containerfile and images/generic-device-plugin/Containerfile.
build_pause() { # out-dir
    mkdir -p "$1"
    gcc -static -O2 -s -Wall -Werror -DPAUSE_VERSION="\"${PAUSE_VERSION}\"" -o "$1/pause" "${ROOT}/images/pause/pause.c" \
        || die "compiling images/pause/pause.c failed (gcc -static needs libc6-dev)"
}
build_device_plugin() { # out-dir
    mkdir -p "$1"
    local mod="${ROOT}/tools/device-plugin" pinned
    pinned="$(cd "$mod" && GOTOOLCHAIN=local go list -m -f '{{.Version}}' github.com/squat/generic-device-plugin)" \
        || die "cannot resolve github.com/squat/generic-device-plugin in tools/device-plugin/go.mod (no network and an empty module cache?)"
    [[ "$pinned" == "$DP_VERSION" ]] \
        || die "tools/device-plugin/go.mod pins ${pinned}, tools/versions.env says ${DP_VERSION}: update one of them"
    (cd "$mod" && CGO_ENABLED=0 GOTOOLCHAIN=local GOFLAGS=-mod=readonly go build -trimpath \
        -ldflags "-s -w -buildid= -X github.com/squat/generic-device-plugin/version.Version=${pinned}" \
        -o "$1/generic-device-plugin" github.com/squat/generic-device-plugin) \
        || die "go build of github.com/squat/generic-device-plugin failed (see above)"
}
build_agent_cds() { # out-dir: the `cds` stage of images/node-agent/Containerfile, in a chroot of the base rootfs
    mkdir -p "$1"
    local app="${ROOT}/node-agent/target/quarkus-app" key cached
    # Cached by what the archive depends on: the JRE (the rootfs), the files (their bytes and the image's mtime) and the script.
    key="$( { echo "$rootfs_dir $EPOCH"; (cd "$app" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha256sum);
              cat "${ROOT}/images/node-agent/train-cds.sh"; } | sha256sum | cut -c1-16)"
    cached="${CACHE}/agent-cds-${key}.jsa"
    if [[ ! -s "$cached" ]]; then
        [[ "$(id -u)" -eq 0 ]] || die "the node agent's class archive is made in a chroot of the base rootfs: needs root"
        note "node-agent: training run for its class archive (images/node-agent/train-cds.sh, in a chroot of the base rootfs)"
        local tmp; tmp="$(mktemp -d "${WORK}/cds.XXXXXX")"
        mkdir -p "${tmp}/upper" "${tmp}/work" "${tmp}/root"
        # The image's files with the image's mtime (every layer entry gets EPOCH): the JVM checks jar mtimes.
        mkdir -p "${tmp}/upper/deployments"
        cp -a "${app}/." "${tmp}/upper/deployments/"
        find "${tmp}/upper/deployments" -exec touch -h -d "@${EPOCH}" {} +
        cp "${ROOT}/images/node-agent/train-cds.sh" "${tmp}/train-cds.sh"
        # An overlay keeps the cached rootfs untouched; the private mount namespace takes every mount with it.
        unshare --mount --propagation private bash -c '
            set -e
            mount -t overlay overlay -o "lowerdir=$1,upperdir=$2/upper,workdir=$2/work" "$2/root"
            mount -t proc proc "$2/root/proc"
            mount --rbind /dev "$2/root/dev"
            mount -t tmpfs tmpfs "$2/root/tmp"
            cp "$2/train-cds.sh" "$2/root/tmp/train-cds.sh"
            chroot "$2/root" /bin/sh /tmp/train-cds.sh /deployments /tmp/agent.jsa
            cp "$2/root/tmp/agent.jsa" "$2/agent.jsa"
        ' _ "${rootfs_dir}/rootfs" "$tmp" >&2 || die "the node agent's class archive failed (see above)"
        rm -f "${CACHE}"/agent-cds-*.jsa   # archives of older agent builds are of no use any more
        mv "${tmp}/agent.jsa" "$cached"
        rm -rf --one-file-system "$tmp"
    fi
    cp "$cached" "$1/agent.jsa"
}
artifact_args() { # image, artifact-dir: builds what the image's `COPY --from=build` needs, sets ARTIFACT_ARGS
    ARTIFACT_ARGS=()
    case "$1" in
        pause) build_pause "$2"; ARTIFACT_ARGS=(--artifact "build:/out/pause=$2/pause") ;;
        generic-device-plugin) build_device_plugin "$2"
            ARTIFACT_ARGS=(--artifact "build:/out/generic-device-plugin=$2/generic-device-plugin") ;;
        node-agent) build_agent_cds "$2"; ARTIFACT_ARGS=(--artifact "cds:/agent.jsa=$2/agent.jsa") ;;
    esac
}

# ------------------------------------------------------------------------------------------------- images
build_image() { # image, out-dir, list-file-or-empty, artifact-dir
    local name="$1" args=()
    artifact_args "$name" "$4"
    args+=("${ARTIFACT_ARGS[@]}")
    [[ -n "$BASE_LAYER" ]] && args+=(--base-layer "$BASE_LAYER")
    [[ -n "$3" ]] && args+=(--list "$3")
    "${OCI[@]}" image --name "$name" --containerfile "${ROOT}/images/${name}/Containerfile" --context "$ROOT" \
        --ref "$(reference "$name")" --version "$(version_of "$name")" --revision "$REVISION" --source "$SOURCE" \
        --epoch "$EPOCH" --out "$2/${name}.oci.tar" "${args[@]}"
}

declare -A RESULT
for name in "${SELECTED[@]}"; do
    t0=$SECONDS
    RESULT[$name]="$(build_image "$name" "$OUT" "${OUT}/images.tsv" "${WORK}/artifacts/${name}")" \
        || die "building ${name} failed (see above)"
    note "built ${name} in $((SECONDS - t0)) s"
done

field() { python3 -c 'import json,sys; r=json.loads(sys.argv[1]); print(r[sys.argv[2]] if sys.argv[2] != "layers" else " ".join(r["layers"]))' "$1" "$2"; }

if [[ "$CHECK" == 1 ]]; then
    note "--check-reproducible: building every selected image again into ${WORK}/again"
    t0=$SECONDS
    mkdir -p "${WORK}/again"
    failed=()
    if [[ -n "$BASE_LAYER" ]]; then
        # The base layer again from the cached rootfs, into an empty cache (the rootfs itself is not rebuilt:
        # that is debootstrap and the network; docs/images.md says how to compare two rootfs builds).
        again_base="$("${OCI[@]}" base-layer --rootfs "${rootfs_dir}/rootfs" --packages "${rootfs_dir}/packages.txt" \
            --rootfs-key "$rootfs_key" --lock "$LOCK" --cache "${WORK}/again" \
            --created-by "$BASE_CREATED_BY" 2>/dev/null)"
        first="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["digest"])' "$BASE_LAYER")"
        second="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["digest"])' "$again_base")"
        if [[ "$first" == "$second" ]]; then note "  same: base layer ${first}"; else failed+=("base layer: ${first} vs ${second}"); fi
    fi
    if [[ -n "$BASE_LAYER" && "$CHECK_BASE" == 1 ]]; then
        # A second rootfs from scratch: what a fresh machine (CI) builds. Comparable only while Debian serves the
        # same versions (the .deb cache is shared, the package lists are not).
        note "  --check-reproducible-base: a second debootstrap"
        bash "${ROOT}/hack/images/build-base.sh" "${WORK}/again-rootfs/rootfs" "${CACHE}/debs"
        dpkg-query --admindir="${WORK}/again-rootfs/rootfs/var/lib/dpkg" -W -f '${Package}=${Version}\n' \
            | LC_ALL=C sort > "${WORK}/again-rootfs/packages.txt"
        if ! cmp -s "${WORK}/again-rootfs/packages.txt" "${rootfs_dir}/packages.txt"; then
            note "  the second rootfs has other package versions (Debian moved on since the cached one): not comparable"
            diff "${rootfs_dir}/packages.txt" "${WORK}/again-rootfs/packages.txt" >&2 || true
        else
            mkdir -p "${WORK}/again-base"
            again_base="$("${OCI[@]}" base-layer --rootfs "${WORK}/again-rootfs/rootfs" \
                --packages "${WORK}/again-rootfs/packages.txt" --rootfs-key "$rootfs_key" --lock "$LOCK" \
                --cache "${WORK}/again-base" --created-by "$BASE_CREATED_BY" 2>/dev/null)"
            second="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["digest"])' "$again_base")"
            if [[ "$first" == "$second" ]]; then
                note "  same: base layer from a second debootstrap ${second}"
            else
                failed+=("base layer from a second debootstrap: ${first} vs ${second}")
            fi
        fi
    fi
    for name in "${SELECTED[@]}"; do
        again="$(build_image "$name" "${WORK}/again" "" "${WORK}/again-artifacts/${name}")"
        a="$(field "${RESULT[$name]}" manifestDigest) $(field "${RESULT[$name]}" layers)"
        b="$(field "$again" manifestDigest) $(field "$again" layers)"
        if [[ "$a" == "$b" ]]; then note "  same: ${name} $(field "$again" manifestDigest)"; else failed+=("${name}: ${a} vs ${b}"); fi
    done
    ((${#failed[@]} == 0)) || die "not reproducible: ${failed[*]}"
    note "--check-reproducible: every digest the same ($((SECONDS - t0)) s)"
fi

if [[ -n "$IMPORT" ]]; then
    for name in "${SELECTED[@]}"; do
        ref="$(reference "$name")"
        ctr --address "$IMPORT" -n k8s.io images import "${OUT}/${name}.oci.tar" >/dev/null \
            || die "ctr --address ${IMPORT} -n k8s.io images import ${OUT}/${name}.oci.tar failed"
        # Also by digest: the CRI resolves a pinned `repo:tag@sha256:...` (chart values *.image.digest) by the name
        # repo@sha256:..., which a pull would have created and an import does not.
        by_digest="${ref%:*}@$(field "${RESULT[$name]}" manifestDigest)"
        ctr --address "$IMPORT" -n k8s.io images tag --force "$ref" "$by_digest" >/dev/null \
            || die "ctr --address ${IMPORT} -n k8s.io images tag ${ref} ${by_digest} failed"
        note "imported ${ref} (and ${by_digest}) into ${IMPORT}, namespace k8s.io"
    done
fi

for name in "${SELECTED[@]}"; do
    printf '  %s  %s  %s  %s MB\n' "$name" "$(reference "$name")" "$(field "${RESULT[$name]}" manifestDigest)" \
        "$(python3 -c 'import sys; print(f"{int(sys.argv[1]) / 1e6:.1f}")' "$(field "${RESULT[$name]}" bytes)")" >&2
done
note "done in $((SECONDS - start)) s: ${OUT}/images.tsv lists the archives"
