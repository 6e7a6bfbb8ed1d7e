#!/usr/bin/env bash
# The sandbox: a whole live-update fleet on this machine (see README). Builds what it needs on the first run
# (cached afterwards), then runs the launcher. Options go to the launcher: --nodes N, --abi A|B|mixed, --plan FILE,
# --operators N (default 2: a leader and a standby), --fault prepare-fail=NODE, --fault kill-agent=NODE@PHASE,
# --fault no-reclaim=NODE, --fault freeze-no-ack=NODE, --fault kill-operator=[NODE@]PHASE, --keep, --timeout 10m, --plain,
# --real-node (a real kubelet node of this machine with the chart installed by helm; root). --help lists them all.
set -euo pipefail
cd "$(dirname "$0")/.."
bash hack/install-prereqs.sh >/dev/null
echo "sandbox: control-plane binaries (the first run builds them from their Go modules: ~10-25 minutes on 2 cores)"
# Show build progress, not the "already installed" roll call of a warm machine.
bash hack/install-controlplane.sh 2>&1 >/dev/null | { grep -vE "already installed|^install-controlplane:   " || true; }
# shellcheck source=hack/controlplane-env.sh
source hack/controlplane-env.sh
bash hack/build-if-changed.sh
exec java -XX:+UseSerialGC -Xmx256m -cp "sandbox/target/liveupdate-sandbox.jar:sandbox/target/lib/*" \
  dev.liveupdate.sandbox.SandboxMain "$@"
