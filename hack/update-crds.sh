#!/usr/bin/env bash
# Regenerates the CRD YAML from the model (crds/src/main/java) and copies it to crds/ and the Helm chart.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -pl crds -am process-test-classes
mkdir -p helm/liveupdate-operator/crds
for f in crds/target/crds/*.yaml; do
  cp "$f" crds/
  cp "$f" helm/liveupdate-operator/crds/
done
echo "CRDs updated: $(ls crds/*.yaml | tr '\n' ' ')"
