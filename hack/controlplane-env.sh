# shellcheck shell=bash
# Source this file (do not execute it) to point tests at the control-plane
# binaries built by hack/install-controlplane.sh:
#
#   . hack/controlplane-env.sh
#   "$LIVEUPDATE_CONTROLPLANE_BIN/kube-apiserver" --version
#
# Exports:
#   LIVEUPDATE_CONTROLPLANE_BIN    directory holding kube-apiserver,
#                                  kube-controller-manager, etcd and helm
#   LIVEUPDATE_KUBERNETES_VERSION  e.g. v1.34.4 (see "Choosing the version" below)
#   LIVEUPDATE_KUBERNETES_DEFAULT_VERSION  the pin in tools/versions.env
#   LIVEUPDATE_ETCD_VERSION        e.g. v3.6.16
#   LIVEUPDATE_HELM_VERSION        e.g. v3.19.5
#
# The versions come from tools/versions.env (the single source of truth);
# the directory is ${LIVEUPDATE_CACHE:-$HOME/.cache/liveupdate-operator}/
# controlplane/<key>/bin, where <key> names all three pinned versions, so a
# changed pin points at a new (empty) directory and the installer rebuilds.
#
# Choosing the version: LIVEUPDATE_KUBERNETES_VERSION=v1.37.2 set before
# sourcing (or before hack/install-controlplane.sh, hack/sandbox.sh, a Maven
# run) selects another Kubernetes release without editing any file; it must
# look like v1.<minor>.<patch>. Unset, the pin in tools/versions.env is used.
# etcd and helm stay at their pins for every Kubernetes version.
#
# This file deliberately does not `set -euo pipefail`: that would change the
# options of the shell that sources it. It returns non-zero on error instead.
# hack/install-controlplane.sh sources it too, so both compute the same path.

__luo_cp_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)" || return 1
__luo_cp_versions="${__luo_cp_root}/tools/versions.env"
if [[ ! -r "${__luo_cp_versions}" ]]; then
    echo "controlplane-env.sh: ${__luo_cp_versions} not found" >&2
    unset __luo_cp_root __luo_cp_versions
    return 1
fi

# An explicit choice from the caller's environment wins over the pin.
__luo_cp_chosen="${LIVEUPDATE_KUBERNETES_VERSION:-}"
LIVEUPDATE_KUBERNETES_VERSION=""
LIVEUPDATE_ETCD_VERSION=""
LIVEUPDATE_HELM_VERSION=""
# Parse KEY=value lines without executing the file.
while IFS='=' read -r __luo_cp_key __luo_cp_val || [[ -n "${__luo_cp_key}" ]]; do
    __luo_cp_key="${__luo_cp_key//[[:space:]]/}"
    __luo_cp_val="${__luo_cp_val//[[:space:]]/}"
    case "${__luo_cp_key}" in
        KUBERNETES_VERSION) LIVEUPDATE_KUBERNETES_VERSION="${__luo_cp_val}" ;;
        ETCD_VERSION)       LIVEUPDATE_ETCD_VERSION="${__luo_cp_val}" ;;
        HELM_VERSION)       LIVEUPDATE_HELM_VERSION="${__luo_cp_val}" ;;
    esac
done < "${__luo_cp_versions}"

if [[ -z "${LIVEUPDATE_KUBERNETES_VERSION}" || -z "${LIVEUPDATE_ETCD_VERSION}" || -z "${LIVEUPDATE_HELM_VERSION}" ]]; then
    echo "controlplane-env.sh: ${__luo_cp_versions} must set KUBERNETES_VERSION, ETCD_VERSION and HELM_VERSION" >&2
    unset __luo_cp_root __luo_cp_versions __luo_cp_key __luo_cp_val __luo_cp_chosen
    return 1
fi

LIVEUPDATE_KUBERNETES_DEFAULT_VERSION="${LIVEUPDATE_KUBERNETES_VERSION}"
if [[ -n "${__luo_cp_chosen}" ]]; then
    if [[ ! "${__luo_cp_chosen}" =~ ^v1\.[0-9]+\.[0-9]+$ ]]; then
        echo "controlplane-env.sh: LIVEUPDATE_KUBERNETES_VERSION='${__luo_cp_chosen}' is not a Kubernetes release like v1.37.2 (unset it to use ${LIVEUPDATE_KUBERNETES_DEFAULT_VERSION} from tools/versions.env)" >&2
        unset __luo_cp_root __luo_cp_versions __luo_cp_key __luo_cp_val __luo_cp_chosen
        return 1
    fi
    LIVEUPDATE_KUBERNETES_VERSION="${__luo_cp_chosen}"
fi

LIVEUPDATE_CONTROLPLANE_BIN="${LIVEUPDATE_CACHE:-${HOME:-/root}/.cache/liveupdate-operator}/controlplane/kube-${LIVEUPDATE_KUBERNETES_VERSION}_etcd-${LIVEUPDATE_ETCD_VERSION}_helm-${LIVEUPDATE_HELM_VERSION}/bin"
export LIVEUPDATE_CONTROLPLANE_BIN LIVEUPDATE_KUBERNETES_VERSION LIVEUPDATE_KUBERNETES_DEFAULT_VERSION LIVEUPDATE_ETCD_VERSION LIVEUPDATE_HELM_VERSION
unset __luo_cp_root __luo_cp_versions __luo_cp_key __luo_cp_val __luo_cp_chosen
