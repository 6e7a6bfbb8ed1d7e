#!/usr/bin/env bash
# Regenerates the CRD YAML from the model (crds/src/main/java), copies it to crds/ and the Helm chart,
# and regenerates docs/api-reference.md from it.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -pl crds -am process-test-classes
mkdir -p helm/liveupdate-operator/crds docs
for f in crds/target/crds/*.yaml; do
  cp "$f" crds/
  cp "$f" helm/liveupdate-operator/crds/
done
(cd crds && mvn -B -q exec:java -Dexec.mainClass=dev.liveupdate.api.crdgen.ApiReferenceGenerator \
   -Dexec.classpathScope=test -Dexec.args="target/crds ../docs/api-reference.md")
echo "Updated: crds/*.yaml, helm/liveupdate-operator/crds/*.yaml, docs/api-reference.md"
