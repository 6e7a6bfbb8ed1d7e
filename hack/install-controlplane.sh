#!/usr/bin/env bash
# Build the real control-plane binaries used by the integration tests
# (kube-apiserver, kube-controller-manager, etcd, helm, kubectl, and the node's kubelet,
# kube-scheduler and kube-proxy for the real-node tier, and kwok for the fleet-scale
# benchmark) from their Go modules
# and cache them outside the repository:
#
#   ${LIVEUPDATE_CACHE:-$HOME/.cache/liveupdate-operator}/controlplane/<key>/bin
#
# <key> names the versions pinned in tools/versions.env, so changing a pin
# builds into a new directory. Binaries that already exist and report the
# pinned version are not rebuilt. The last line printed is the bin directory.
#
# Another Kubernetes release, without editing a file (several sit side by side):
#   LIVEUPDATE_KUBERNETES_VERSION=v1.37.2 hack/install-controlplane.sh
# builds it from a go.mod generated for it in <key>/gomod
# (hack/controlplane-gomod.sh); etcd, helm and kwok are the pinned ones, copied
# from another cache directory when one has them. The default release builds
# from the committed tools/controlplane/go.mod. A release that is not served
# or does not build ends with an error naming the version and the step.
#
# Usage: hack/install-controlplane.sh [--force] [--quiet]
#   --force   rebuild every binary even if it is already cached
#   --quiet   print only the bin directory (errors still go to stderr)
#
# Needs: go (version >= the highest `go` line in tools/*/go.mod), network
# access to the Go module proxy on the first run (or a warm module cache).
# The first run compiles Kubernetes: ~10 minutes on an idle 2-core machine,
# ~20 minutes when other builds compete for the cores (measured, see
# docs/controlplane.md). Later runs take about a second.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

FORCE=0
QUIET=0
for arg in "$@"; do
    case "$arg" in
        --force) FORCE=1 ;;
        --quiet) QUIET=1 ;;
        -h|--help) sed -n '2,28p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "install-controlplane.sh: unknown argument: $arg (try --help)" >&2; exit 2 ;;
    esac
done

log() { if [[ "$QUIET" == 0 ]]; then echo "install-controlplane: $*" >&2; fi; }
die() { echo "install-controlplane: error: $*" >&2; exit 1; }

# shellcheck source=hack/controlplane-env.sh
source "${ROOT}/hack/controlplane-env.sh" || die "could not read tools/versions.env (or LIVEUPDATE_KUBERNETES_VERSION is malformed)"
BIN="${LIVEUPDATE_CONTROLPLANE_BIN}"
K8S_VERSION="${LIVEUPDATE_KUBERNETES_VERSION}"
# The Go module the Kubernetes binaries build from: the committed one for the
# default pin, a generated one (next to the binaries) for any other release.
if [[ "$K8S_VERSION" == "$LIVEUPDATE_KUBERNETES_DEFAULT_VERSION" ]]; then
    K8S_MODDIR="${ROOT}/tools/controlplane"
else
    K8S_MODDIR="${BIN%/bin}/gomod"
fi
# Bounds for go commands, so nothing hangs: a build of kube-apiserver takes
# ~6-13 minutes on 2 cores, a module download seconds.
GO_BUILD_TIMEOUT="${LIVEUPDATE_GO_BUILD_TIMEOUT:-3600}"
GO_RESOLVE_TIMEOUT="${LIVEUPDATE_GO_RESOLVE_TIMEOUT:-180}"
ETCD_VERSION="${LIVEUPDATE_ETCD_VERSION}"
HELM_VERSION="${LIVEUPDATE_HELM_VERSION}"
KWOK_VERSION="$(awk -F= '$1 == "KWOK_VERSION" { print $2 }' "${ROOT}/tools/versions.env" | tr -d '[:space:]')"
[[ -n "$KWOK_VERSION" ]] || die "tools/versions.env must set KWOK_VERSION"

# ---------------------------------------------------------------- Go toolchain
min_go=""
for m in controlplane etcd helm kwok; do
    [[ -f "${ROOT}/tools/${m}/go.mod" ]] || die "missing ${ROOT}/tools/${m}/go.mod"
    v="$(awk '$1 == "go" { print $2; exit }' "${ROOT}/tools/${m}/go.mod")"
    if [[ -z "$min_go" ]] || [[ "$(printf '%s\n%s\n' "$min_go" "$v" | sort -V | tail -n1)" == "$v" ]]; then
        min_go="$v"
    fi
done

if [[ -z "${HOME:-}" && -z "${GOCACHE:-}" ]]; then
    die "HOME is not set: set HOME (or GOCACHE, GOMODCACHE and LIVEUPDATE_CACHE)"
fi
command -v go >/dev/null 2>&1 || die "go not found: install Go >= ${min_go} (see tools/*/go.mod) and put it on PATH"
go_version="$(go env GOVERSION 2>/dev/null || true)"
go_version="${go_version#go}"
go_version="${go_version%%[-+ ]*}"
[[ -n "$go_version" ]] || die "could not determine the Go version from 'go env GOVERSION'; install Go >= ${min_go}"
if [[ "$(printf '%s\n%s\n' "$min_go" "$go_version" | sort -V | head -n1)" != "$min_go" ]]; then
    die "Go ${go_version} is too old: install Go >= ${min_go} (required by tools/*/go.mod)"
fi

# Build settings: never switch toolchains behind our back, static binaries,
# go.mod may be completed from the proxy if go.sum lacks an entry.
export GOTOOLCHAIN=local
export CGO_ENABLED=0
export GOFLAGS="-mod=mod -buildvcs=false"
PARALLEL=2

# ---------------------------------------------------------------- cache + lock
mkdir -p "$BIN" || die "cannot create $BIN (set LIVEUPDATE_CACHE to a writable directory)"
if command -v flock >/dev/null 2>&1; then
    exec 9>"${BIN%/bin}/.lock"
    if ! flock -n 9; then
        log "another install is running on ${BIN%/bin}; waiting for it"
        flock 9
    fi
fi

# ------------------------------------------------- pins must match versions.env
mod_dir() { # <tools subdir>: where its go.mod is
    if [[ "$1" == controlplane ]]; then echo "$K8S_MODDIR"; else echo "${ROOT}/tools/$1"; fi
}
mod_version() { # <tools subdir> <module path>: the version the build will use
    (cd "$(mod_dir "$1")" && timeout --kill-after=10 "$GO_RESOLVE_TIMEOUT" go list -m -f '{{if .Replace}}{{.Replace.Version}}{{else}}{{.Version}}{{end}}' "$2")
}
check_pin() { # <tools subdir> <module> <expected>
    local got
    got="$(mod_version "$1" "$2")" || die "cannot resolve $2 in $(mod_dir "$1")/go.mod (no network and an empty module cache?)"
    [[ "$got" == "$3" ]] || die "$(mod_dir "$1")/go.mod resolves $2 to ${got}, but tools/versions.env says $3: update one of them (see docs/controlplane.md)"
}
if [[ "$K8S_MODDIR" != "${ROOT}/tools/controlplane" ]]; then
    log "Kubernetes ${K8S_VERSION} (LIVEUPDATE_KUBERNETES_VERSION; the pin is ${LIVEUPDATE_KUBERNETES_DEFAULT_VERSION}): module in ${K8S_MODDIR}"
    if ! bash "${ROOT}/hack/controlplane-gomod.sh" "$K8S_VERSION" "$K8S_MODDIR"; then
        # Leave no empty cache directory behind for a release that never built.
        if [[ -z "$(ls -A "$BIN" 2>/dev/null)" ]]; then rm -rf "${BIN%/bin}"; fi
        exit 1
    fi
fi
k8s_minor_patch="${K8S_VERSION#v1.}"            # 34.4
check_pin controlplane k8s.io/kubernetes "$K8S_VERSION"
check_pin controlplane k8s.io/api "v0.${k8s_minor_patch}"
check_pin controlplane k8s.io/apiserver "v0.${k8s_minor_patch}"
check_pin controlplane k8s.io/client-go "v0.${k8s_minor_patch}"
check_pin controlplane k8s.io/component-base "v0.${k8s_minor_patch}"
check_pin etcd go.etcd.io/etcd/server/v3 "$ETCD_VERSION"
check_pin helm helm.sh/helm/v3 "$HELM_VERSION"
check_pin kwok sigs.k8s.io/kwok "$KWOK_VERSION"

# ---------------------------------------------------------------- versions
installed_version() { # <binary name>: the version it reports, or empty
    local exe="$BIN/$1" out=""
    [[ -x "$exe" ]] || return 0
    case "$1" in
        kube-apiserver|kube-controller-manager|kube-scheduler|kube-proxy|kubelet)
            out="$("$exe" --version 2>/dev/null | awk '{ print $2; exit }')" || true ;;
        kubectl)
            out="$("$exe" version --client 2>/dev/null | awk '/^Client Version:/ { print $3; exit }')" || true ;;
        etcd)
            out="$("$exe" --version 2>/dev/null | awk '/^etcd Version:/ { print "v" $3; exit }')" || true ;;
        helm)
            out="$("$exe" version --template '{{.Version}}' 2>/dev/null)" || true ;;
        kwok)
            out="$("$exe" --version 2>/dev/null | awk '{ print $3; exit }')" || true ;;
    esac
    echo "$out"
}

expected_version() {
    case "$1" in
        kube-apiserver|kube-controller-manager|kube-scheduler|kube-proxy|kubelet|kubectl) echo "$K8S_VERSION" ;;
        etcd) echo "$ETCD_VERSION" ;;
        helm) echo "$HELM_VERSION" ;;
        kwok) echo "$KWOK_VERSION" ;;
    esac
}

# ---------------------------------------------------------------- ldflags
k8s_ldflags() {
    local major minor build_date info pkg
    major="${K8S_VERSION#v}"; major="${major%%.*}"
    minor="${K8S_VERSION#v*.}"; minor="${minor%%.*}"
    # Use the release time recorded by the module proxy: reproducible builds.
    info="$(cd "$K8S_MODDIR" && timeout --kill-after=10 "$GO_RESOLVE_TIMEOUT" go mod download -json "k8s.io/kubernetes@${K8S_VERSION}" | awk -F'"' '$2 == "Info" { print $4 }')"
    build_date="$(sed -n 's/.*"Time":"\([^"]*\)".*/\1/p' "$info" 2>/dev/null || true)"
    [[ -n "$build_date" ]] || build_date="1970-01-01T00:00:00Z"
    build_date="${build_date%%.*}"; build_date="${build_date%Z}Z"
    for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
        printf -- ' -X %s.gitVersion=%s -X %s.gitMajor=%s -X %s.gitMinor=%s -X %s.gitTreeState=clean -X %s.gitCommit=module-%s -X %s.buildDate=%s' \
            "$pkg" "$K8S_VERSION" "$pkg" "$major" "$pkg" "$minor" "$pkg" "$pkg" "$K8S_VERSION" "$pkg" "$build_date"
    done
}

helm_ldflags() {
    # Same as helm's Makefile: the default .Capabilities.KubeVersion is the
    # minor of the client-go helm was built with (otherwise it is v1.20.0).
    local cg major minor
    cg="$(mod_version helm k8s.io/client-go)"   # v0.34.2
    cg="${cg#v}"
    major="$(( ${cg%%.*} + 1 ))"
    minor="${cg#*.}"; minor="${minor%%.*}"
    printf -- ' -X helm.sh/helm/v3/internal/version.version=%s -X helm.sh/helm/v3/internal/version.metadata= -X helm.sh/helm/v3/internal/version.gitTreeState=clean' "$HELM_VERSION"
    printf -- ' -X helm.sh/helm/v3/pkg/lint/rules.k8sVersionMajor=%s -X helm.sh/helm/v3/pkg/lint/rules.k8sVersionMinor=%s' "$major" "$minor"
    printf -- ' -X helm.sh/helm/v3/pkg/chartutil.k8sVersionMajor=%s -X helm.sh/helm/v3/pkg/chartutil.k8sVersionMinor=%s' "$major" "$minor"
}

# ---------------------------------------------------------------- build
fmt_duration() { printf '%dm%02ds' $(( $1 / 60 )) $(( $1 % 60 )); }

build() { # <binary name> <tools subdir> <package> <first-run estimate> <extra ldflags>
    local name="$1" mod="$2" pkg="$3" estimate="$4" extra="$5"
    local want tmp start rc heartbeat="" elapsed
    want="$(expected_version "$name")"
    tmp="$BIN/.${name}.tmp.$$"
    log "building ${name} ${want} from ${pkg} (first run: ~${estimate}; cached Go builds are much faster)"
    start=$SECONDS
    if [[ "$QUIET" == 0 ]]; then
        # Keep CI logs alive during the long compile.
        ( while sleep 60; do echo "install-controlplane:   ... still building ${name} ($(( (SECONDS - start) / 60 )) min)" >&2; done ) &
        heartbeat=$!
    fi
    rc=0
    (cd "$(mod_dir "$mod")" && timeout --kill-after=30 "$GO_BUILD_TIMEOUT" go build </dev/null -p "$PARALLEL" -trimpath -ldflags "-s -w${extra}" -o "$tmp" "$pkg") || rc=$?
    if [[ -n "$heartbeat" ]]; then kill "$heartbeat" 2>/dev/null || true; wait "$heartbeat" 2>/dev/null || true; fi
    if [[ $rc -eq 124 || $rc -eq 137 ]]; then
        rm -f "$tmp"
        die "${name} ${want}: go build of ${pkg} did not finish within ${GO_BUILD_TIMEOUT}s (LIVEUPDATE_GO_BUILD_TIMEOUT)"
    elif [[ $rc -ne 0 ]]; then
        rm -f "$tmp"
        die "${name} ${want}: go build of ${pkg} failed (exit ${rc}); see the compiler output above"
    fi
    mv -f "$tmp" "$BIN/$name"
    elapsed=$(( SECONDS - start ))
    log "built ${name} in $(fmt_duration "$elapsed") ($(du -h "$BIN/$name" | cut -f1))"
    local got
    got="$(installed_version "$name")"
    [[ "$got" == "$want" ]] || die "${BIN}/${name} reports version '${got}', expected ${want}"
}

# etcd, helm and kwok do not depend on the Kubernetes release: another cache
# directory (another Kubernetes version) may already hold the pinned build.
copy_from_sibling() { # <binary name>: true when a matching binary was copied in
    local name="$1" want cand
    want="$(expected_version "$name")"
    for cand in "${BIN%/*/bin}"/*/bin/"$name"; do
        [[ -x "$cand" && "$cand" != "$BIN/$name" ]] || continue
        [[ "$(BIN="${cand%/*}" installed_version "$name")" == "$want" ]] || continue
        cp -f "$cand" "$BIN/.${name}.tmp.$$" && mv -f "$BIN/.${name}.tmp.$$" "$BIN/$name" || return 1
        log "${name} ${want} copied from ${cand%/bin/*}"
        return 0
    done
    return 1
}

trap 'rm -f "$BIN"/.*.tmp.$$' EXIT

total_start=$SECONDS
built_any=0
# name | tools module | package | first-run estimate
while read -r name mod pkg estimate; do
    want="$(expected_version "$name")"
    have="$(installed_version "$name")"
    if [[ "$FORCE" == 0 && "$have" == "$want" ]]; then
        log "${name} ${have} already installed"
        continue
    fi
    if [[ -n "$have" ]]; then log "${name}: found '${have}', want ${want}: rebuilding"; fi
    if [[ "$FORCE" == 0 ]] && [[ "$name" == etcd || "$name" == helm || "$name" == kwok ]] && copy_from_sibling "$name"; then
        continue
    fi
    extra=""
    case "$name" in
        kube-*|kubectl|kubelet) extra="$(k8s_ldflags)" ;;
        helm)   extra="$(helm_ldflags)" ;;
        kwok)   extra=" -X sigs.k8s.io/kwok/pkg/consts.Version=${KWOK_VERSION}" ;;
    esac
    build "$name" "$mod" "$pkg" "$estimate" "$extra"
    built_any=1
done <<'EOF'
etcd                    etcd          go.etcd.io/etcd/server/v3                        1-2min
kube-apiserver          controlplane  k8s.io/kubernetes/cmd/kube-apiserver             6-13min
kube-controller-manager controlplane  k8s.io/kubernetes/cmd/kube-controller-manager    2-3min
helm                    helm          helm.sh/helm/v3/cmd/helm                         2-3min
kubectl                 controlplane  k8s.io/kubernetes/cmd/kubectl                    2-9min
kube-scheduler          controlplane  k8s.io/kubernetes/cmd/kube-scheduler             1-2min
kube-proxy              controlplane  k8s.io/kubernetes/cmd/kube-proxy                 1-2min
kubelet                 controlplane  k8s.io/kubernetes/cmd/kubelet                    2-4min
kwok                    kwok          sigs.k8s.io/kwok/cmd/kwok                        5-12min
EOF

if [[ "$built_any" == 1 ]]; then
    log "all builds done in $(fmt_duration $(( SECONDS - total_start )))"
fi
if [[ "$QUIET" == 0 ]]; then
    for name in kube-apiserver kube-controller-manager etcd helm kubectl kube-scheduler kube-proxy kubelet kwok; do
        printf 'install-controlplane:   %-24s %s\n' "$name" "$(installed_version "$name")" >&2
    done
fi
echo "$BIN"
