#!/usr/bin/env bash
# Builds the Krew archive for krew/liveupdate.yaml: kubectl-liveupdate, kubectl-liveupdate.jar and lib/ (its dependencies),
# and prints its sha256 for the manifest. Run from anywhere; needs a prior
# mvn -pl kubectl-plugin -am package (or runs it offline).
set -euo pipefail
module="$(cd "$(dirname "$0")/.." && pwd)"
version="${1:-v0.1.0}"
if [[ ! -f "$module/target/kubectl-liveupdate.jar" ]]; then
    (cd "$module/.." && mvn -B -o -q -pl kubectl-plugin -am package -DskipTests)
fi
stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage/lib"
cp "$module/bin/kubectl-liveupdate" "$stage/"
cp "$module/target/kubectl-liveupdate.jar" "$stage/"
cp "$module"/target/lib/*.jar "$stage/lib/"
out="$module/target/kubectl-liveupdate-$version.tar.gz"
tar -C "$stage" -czf "$out" kubectl-liveupdate kubectl-liveupdate.jar lib
echo "$out"
sha256sum "$out" | cut -d' ' -f1
