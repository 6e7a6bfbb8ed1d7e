#!/bin/sh
# Makes the node agent's AppCDS archive (a JDK 17 dynamic archive, -XX:ArchiveClassesAtExit) with the image's own JRE
# and the image's own files: the JVM only uses an archive made by the same JDK build from jars of the same size and
# modification time, and silently ignores it otherwise (-Xshare:auto). One training start of the agent with the
# chart's JVM flags: standalone mode on the simulated kernel in a scratch directory (no API server, no device), until
# it is ready, then SIGTERM; the JVM writes the archive at exit. It covers the restore-first path (engine, Jackson,
# SmallRye Config, junixsocket) and Quarkus; the Kubernetes client's classes, which a standalone start never loads,
# still come from the jars. Measured in docs/benchmarks.md (restore first: fds back -20%, CPU to ready -14%).
# Usage: train-cds.sh APP_DIR ARCHIVE    (run by images/node-agent/Containerfile and hack/build-images.sh)
set -eu
app="$1"
archive="$2"
flags="-XX:+UseSerialGC -Xms12m -Xmx48m -Xmn4m -Xss512k -XX:TieredStopAtLevel=1 -XX:MaxMetaspaceSize=80m -XX:ReservedCodeCacheSize=24m -XX:CICompilerCount=1"
scratch="$(mktemp -d)"
cd "$app"
# shellcheck disable=SC2086
java $flags -XX:ArchiveClassesAtExit="$archive" \
    -Dliveupdate.agent.node-name=cds-training -Dliveupdate.agent.reboot-strategy=simulated \
    -Dliveupdate.agent.simulator.state-dir="$scratch/machine" -Dliveupdate.agent.state-dir="$scratch/state" \
    -Dliveupdate.agent.socket.path="$scratch/agent.sock" -Dliveupdate.agent.standalone.instruction-file="$scratch/instruction.json" \
    -Dquarkus.http.port=0 -jar quarkus-run.jar >"$scratch/log" 2>&1 &
pid=$!
waited=0
until grep -q "agent ready after" "$scratch/log"; do
    if ! kill -0 "$pid" 2>/dev/null || [ "$waited" -ge 600 ]; then
        cat "$scratch/log" >&2
        kill "$pid" 2>/dev/null || true
        echo "train-cds: the training start did not get ready" >&2
        exit 1
    fi
    sleep 0.5
    waited=$((waited + 1))
done
kill -TERM "$pid"
wait "$pid" || true
if [ ! -s "$archive" ]; then
    cat "$scratch/log" >&2
    echo "train-cds: no archive written to $archive" >&2
    exit 1
fi
rm -rf "$scratch"
