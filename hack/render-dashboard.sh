#!/usr/bin/env bash
# Renders docs/img/dashboard.png: the chart's Grafana dashboard (helm/liveupdate-operator/files/liveupdate-dashboard.json)
# drawn from the metrics of a real sandbox rollout. Starts a Prometheus (Debian's package, installed here when missing:
# needs root) scraping the operator and every agent every second (their ports read from the processes' logs, again as
# agents restart after their kexec), runs ./hack/sandbox.sh --keep, waits for its RESULT line, renders every panel's
# queries over the run (dev.liveupdate.bench.dashboard.DashboardRender), then stops both.
# Grafana is not used: its server is AGPL, off limits for this project (docs/dashboard.md).
#   NODES=5 FAULT=prepare-fail=node-4 OUT=docs/img/dashboard.png ./hack/render-dashboard.sh
set -euo pipefail
cd "$(dirname "$0")/.."
nodes=${NODES:-5}
out=${OUT:-docs/img/dashboard.png}
port=${PROMETHEUS_PORT:-19090}
if ! command -v prometheus > /dev/null; then
    echo "render-dashboard: installing Prometheus (Debian package)"
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends prometheus > /dev/null
fi
work=$(mktemp -d /tmp/liveupdate-dashboard.XXXXXX)
sandbox=""
prom=""
stop() {
    if [ -n "$sandbox" ] && kill -0 "$sandbox" 2> /dev/null; then
        # TERM, not INT: a background job of a script starts with SIGINT ignored (POSIX), and the JVM keeps it so.
        kill -TERM "$sandbox" 2> /dev/null || true
        wait "$sandbox" 2> /dev/null || true
    fi
    if [ -n "$prom" ]; then
        kill "$prom" 2> /dev/null || true
        wait "$prom" 2> /dev/null || true
    fi
}
trap stop EXIT

mkdir -p "$work/sd"
echo '[]' > "$work/sd/targets.json"
cat > "$work/prometheus.yml" <<YAML
global:
  scrape_interval: 1s
  scrape_timeout: 1s
scrape_configs:
  - job_name: liveupdate
    metrics_path: /q/metrics
    file_sd_configs:
      - files: ["$work/sd/targets.json"]
        refresh_interval: 1s
YAML
prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/tsdb" \
    --web.listen-address="127.0.0.1:$port" > "$work/prometheus.log" 2>&1 &
prom=$!

# The last "Listening on" port of each process log: the operator replicas and each node's current agent.
targets() {
    local entries=() log p node
    for log in "$work"/fleet/operator/*.log; do
        [ -f "$log" ] || continue
        p=$(grep -o 'Listening on: http://0.0.0.0:[0-9]*' "$log" | tail -1 | sed 's/.*://' || true)
        [ -n "$p" ] && entries+=("{\"targets\":[\"127.0.0.1:$p\"],\"labels\":{\"component\":\"operator\",\"replica\":\"$(basename "$log" .log)\"}}")
    done
    for log in "$work"/fleet/nodes/*/logs/agent.log; do
        [ -f "$log" ] || continue
        node=$(basename "$(dirname "$(dirname "$log")")")
        p=$(grep -o 'Listening on: http://0.0.0.0:[0-9]*' "$log" | tail -1 | sed 's/.*://' || true)
        [ -n "$p" ] && entries+=("{\"targets\":[\"127.0.0.1:$p\"],\"labels\":{\"component\":\"agent\",\"node\":\"$node\"}}")
    done
    (IFS=,; printf '[%s]\n' "${entries[*]}") > "$work/sd/targets.json.tmp"
    mv "$work/sd/targets.json.tmp" "$work/sd/targets.json"
}

fault=()
[ -n "${FAULT:-}" ] && fault=(--fault "$FAULT")
./hack/sandbox.sh --nodes "$nodes" --plain --keep --operators 1 --work-dir "$work/fleet" "${fault[@]}" \
    > "$work/sandbox.log" 2>&1 &
sandbox=$!
echo "render-dashboard: sandbox of $nodes nodes running (log $work/sandbox.log), Prometheus on 127.0.0.1:$port"
from=""
until grep -q '^RESULT: ' "$work/sandbox.log"; do
    # The range starts when the plan is applied (not while the sandbox builds and starts).
    if [ -z "$from" ] && grep -q '^sandbox: applied ' "$work/sandbox.log"; then
        from=$(( $(date +%s) - 5 ))
    fi
    if ! kill -0 "$sandbox" 2> /dev/null; then
        echo "render-dashboard: the sandbox ended without a result:" >&2
        tail -20 "$work/sandbox.log" >&2
        exit 1
    fi
    targets
    sleep 1
done
# A few more scrapes of the final state (the last agents' Idle, the plan's Succeeded).
for _ in 1 2 3 4 5; do
    targets
    sleep 1
done
to=$(date +%s)
from=${from:-$(( to - 300 ))}
grep '^RESULT: ' "$work/sandbox.log"
mvn -B -q -o -pl benchmarks -am install -DskipTests > "$work/build.log" 2>&1 || { cat "$work/build.log" >&2; exit 1; }
mvn -B -q -o -pl benchmarks dependency:build-classpath -Dmdep.outputFile="$work/classpath" > "$work/build.log" 2>&1 \
    || { cat "$work/build.log" >&2; exit 1; }
java -cp "benchmarks/target/classes:$(cat "$work/classpath")" dev.liveupdate.bench.dashboard.DashboardRender \
    --prometheus "http://127.0.0.1:$port" --dashboard helm/liveupdate-operator/files/liveupdate-dashboard.json \
    --from "$from" --to "$to" --out "$out" --note "sandbox, $nodes nodes${FAULT:+, fault $FAULT}"
echo "render-dashboard: $out (work dir $work)"
