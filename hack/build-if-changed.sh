#!/usr/bin/env bash
# Builds the project's jars (no tests) unless the sources are unchanged since the last build.
# The stamp (a hash of every tracked and untracked source file) lives in the cache, not in the repo.
set -euo pipefail
cd "$(dirname "$0")/.."
cache="${LIVEUPDATE_CACHE:-$HOME/.cache/liveupdate-operator}"
mkdir -p "$cache"
stamp="$cache/build-stamp-$(pwd | sha256sum | cut -c1-12)"
hash=$( { git ls-files -co --exclude-standard -- '*.java' '*.xml' '*.properties' '*.yaml' '*.json' '*.h' '*.c' \
          | sort | xargs -r sha256sum; } | sha256sum | cut -c1-64)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$hash" ] \
   && [ -f operator/target/quarkus-app/quarkus-run.jar ] && [ -f node-agent/target/quarkus-app/quarkus-run.jar ] \
   && [ -f sandbox/target/liveupdate-sandbox.jar ]; then
  echo "build: up to date (cached)"
  exit 0
fi
echo "build: compiling the operator, the node agent, the workload client and the sandbox (first run: 2-6 minutes)..."
log="$cache/build.log"
if ! mvn -B -ntp install -DskipTests >"$log" 2>&1; then
  grep -E "ERROR|BUILD FAILURE" "$log" | head -30 >&2
  echo "build: failed; the whole log is $log" >&2
  exit 1
fi
echo "$hash" > "$stamp"
echo "build: done"
