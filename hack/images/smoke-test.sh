#!/usr/bin/env bash
# Smoke-checks the archives hack/build-images.sh wrote: starts a private containerd (its own root, state and socket
# under a temporary directory; the machine's containerd, if any, is not touched), imports every image listed in
# images.tsv into namespace k8s.io, and runs each with `ctr run` under the chart's restrictions (read-only root
# filesystem, a tmpfs at /tmp as the chart's emptyDir, every capability dropped but what the chart adds, the chart's
# user):
#   pause                  prints its version; then runs and exits 0 on SIGTERM
#   generic-device-plugin  prints its version
#   sample-workload        `lu-client status`: the JVM starts, junixsocket loads its native library from /tmp and
#                          the connect fails (no agent): exit 4
#   node-agent             standalone mode with rebootStrategy=direct: JNA opens /dev/liveupdate (absent here) and
#                          /q/health/ready answers UP on the host network
#   operator               the JVM and Quarkus start; it cannot reach an API server (that error is the evidence)
# usage: hack/images/smoke-test.sh [--out DIR]  (DIR: build-images.sh's --out, default target/images). Needs root,
# containerd, ctr and runc (hack/install-prereqs.sh), and curl.
set -euo pipefail
shopt -s inherit_errexit

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
OUT="${ROOT}/target/images"
[[ "${1:-}" == "--out" && -n "${2:-}" ]] && OUT="$2"
LIST="${OUT}/images.tsv"

die() { echo "smoke-test: error: $*" >&2; exit 1; }
note() { echo "smoke-test: $*" >&2; }
[[ -f "$LIST" ]] || die "${LIST} not found: run hack/build-images.sh first"
[[ "$(id -u)" -eq 0 ]] || die "needs root (a private containerd)"
for t in containerd ctr runc curl; do
    command -v "$t" >/dev/null || die "$t not found: run hack/install-prereqs.sh"
done

T="$(mktemp -d /tmp/smoke-images.XXXXXX)"
SOCK="${T}/containerd.sock"
CTR=(ctr --address "$SOCK" -n k8s.io)
cat > "${T}/config.toml" <<EOF
version = 2
root = "${T}/root"
state = "${T}/state"
[grpc]
  address = "${SOCK}"
[ttrpc]
  address = "${SOCK}.ttrpc"
[debug]
  address = "${SOCK}.debug"
# ctr run needs neither the CRI plugin nor a CNI; keep this containerd small.
disabled_plugins = ["io.containerd.grpc.v1.cri"]
EOF
containerd --config "${T}/config.toml" >"${T}/containerd.log" 2>&1 &
CONTAINERD_PID=$!
cleanup() {
    for id in $("${CTR[@]}" tasks ls -q 2>/dev/null); do "${CTR[@]}" tasks kill -s SIGKILL "$id" >/dev/null 2>&1 || true; done
    kill "$CONTAINERD_PID" 2>/dev/null || true
    wait "$CONTAINERD_PID" 2>/dev/null || true
    # Snapshots are mounted only while containers run; --one-file-system keeps rm out of anything left mounted.
    rm -rf --one-file-system "$T" 2>/dev/null || note "left ${T} behind (something is still mounted there)"
}
trap cleanup EXIT

await() { # description, timeout-seconds, command...: runs the command until it succeeds
    local what="$1" limit="$2" deadline=$((SECONDS + $2))
    shift 2
    until "$@" >/dev/null 2>&1; do
        ((SECONDS < deadline)) || return 1
        sleep 0.2
    done
}
await "containerd" 30 "${CTR[@]}" version || die "the private containerd did not start: $(tail -5 "${T}/containerd.log")"

ref_of() { awk -F'\t' -v n="$1" '$1 == n { print $2 }' "$LIST"; }
failures=()
pass() { note "PASS $1: $2"; }
fail() { note "FAIL $1: $2"; failures+=("$1"); }

t0=$SECONDS
while IFS=$'\t' read -r name ref archive _; do
    [[ "$name" == \#* || -z "$name" ]] && continue
    "${CTR[@]}" images import "${OUT}/${archive}" >/dev/null || die "importing ${archive} failed"
    note "imported ${ref}"
done < "$LIST"
note "imported in $((SECONDS - t0)) s"

# The chart's restrictions: read-only root, /tmp a writable tmpfs (the chart's emptyDir), capabilities dropped.
# (ctr takes no "ALL": these are containerd's default capabilities, every one dropped.)
RESTRICTED=(--read-only --mount "type=tmpfs,src=tmpfs,dst=/tmp,options=rw:nosuid:nodev:mode=1777")
for cap in CHOWN DAC_OVERRIDE FSETID FOWNER MKNOD NET_RAW SETGID SETUID SETFCAP SETPCAP NET_BIND_SERVICE SYS_CHROOT \
        KILL AUDIT_WRITE; do
    RESTRICTED+=(--cap-drop "CAP_${cap}")
done

run_capture() { # id, seconds, ctr-run arguments...: runs to completion (or kills it after seconds); output in $T/id.log
    local id="$1" limit="$2"
    shift 2
    timeout --signal=KILL "$limit" "${CTR[@]}" run --rm "$@" >"${T}/${id}.log" 2>&1
}

if ref="$(ref_of pause)" && [[ -n "$ref" ]]; then
    t0=$SECONDS
    if run_capture pause-v 30 "${RESTRICTED[@]}" "$ref" pause-v /pause -v && grep -q '^pause ' "${T}/pause-v.log"; then
        pass pause "$(cat "${T}/pause-v.log")"
    else
        fail pause "-v: $(cat "${T}/pause-v.log")"
    fi
    "${CTR[@]}" run --rm "${RESTRICTED[@]}" "$ref" pause-run >"${T}/pause-run.log" 2>&1 &
    runner=$!
    if await "pause running" 30 bash -c "\"\${@}\" tasks ls | grep -q 'pause-run.*RUNNING'" _ "${CTR[@]}"; then
        "${CTR[@]}" tasks kill -s SIGTERM pause-run
        rc=0
        wait "$runner" || rc=$?
        if [[ "$rc" == 0 ]]; then pass pause "exit 0 on SIGTERM ($((SECONDS - t0)) s)"; else fail pause "exit ${rc} on SIGTERM"; fi
    else
        kill "$runner" 2>/dev/null || true
        fail pause "never RUNNING: $(cat "${T}/pause-run.log")"
    fi
fi

if ref="$(ref_of generic-device-plugin)" && [[ -n "$ref" ]]; then
    t0=$SECONDS
    if run_capture gdp 30 "${RESTRICTED[@]}" "$ref" gdp /generic-device-plugin --version; then
        pass generic-device-plugin "--version: $(tr '\n' ' ' < "${T}/gdp.log")($((SECONDS - t0)) s)"
    else
        fail generic-device-plugin "$(cat "${T}/gdp.log")"
    fi
fi

if ref="$(ref_of sample-workload)" && [[ -n "$ref" ]]; then
    t0=$SECONDS
    rc=0
    run_capture lu 60 "${RESTRICTED[@]}" --env "JDK_JAVA_OPTIONS=-XX:+UseSerialGC" "$ref" lu \
        java -jar /app/lu-client.jar status --socket /tmp/no-agent.sock || rc=$?
    # 4: an I/O error (no agent at that socket), after the JVM and junixsocket's native library loaded.
    if [[ "$rc" == 4 ]] && ! grep -qi "UnsatisfiedLink\|Exception in thread" "${T}/lu.log"; then
        pass sample-workload "lu-client status without an agent: exit 4, '$(tail -1 "${T}/lu.log")' ($((SECONDS - t0)) s)"
    else
        fail sample-workload "exit ${rc}: $(cat "${T}/lu.log")"
    fi
fi

if ref="$(ref_of node-agent)" && [[ -n "$ref" ]]; then
    t0=$SECONDS
    port=18381
    state="${T}/agent-state"
    mkdir -p "$state" "${T}/agent-run"
    # The chart's environment for rebootStrategy=direct, in standalone mode (no API server): a missing instruction
    # file means "no instruction", and /dev/liveupdate is absent in this container, so the agent reports
    # capable=false and becomes ready; JNA has to load for the open() that finds it absent.
    "${CTR[@]}" run --rm --net-host "${RESTRICTED[@]}" --cap-add CAP_SYS_BOOT \
        --mount "type=bind,src=${state},dst=/var/lib/liveupdate,options=rbind:rw" \
        --mount "type=bind,src=${T}/agent-run,dst=/run/liveupdate,options=rbind:rw" \
        --env LIVEUPDATE_AGENT_NODE_NAME=smoke --env LIVEUPDATE_AGENT_REBOOT_STRATEGY=direct \
        --env LIVEUPDATE_AGENT_DEVICE_PATH=/dev/liveupdate --env LIVEUPDATE_AGENT_STATE_DIR=/var/lib/liveupdate \
        --env LIVEUPDATE_AGENT_STANDALONE_INSTRUCTION_FILE=/var/lib/liveupdate/instruction.yaml \
        --env LIVEUPDATE_AGENT_SOCKET_PATH=/run/liveupdate/agent.sock --env QUARKUS_HTTP_PORT=${port} \
        --env "JDK_JAVA_OPTIONS=-XX:+UseSerialGC -Xms12m -Xmx48m -Xss512k -XX:TieredStopAtLevel=1" \
        --env MALLOC_ARENA_MAX=2 "$ref" agent >"${T}/agent.log" 2>&1 &
    runner=$!
    if await "agent ready" 90 bash -c "kill -0 ${runner} && curl -sf http://127.0.0.1:${port}/q/health/ready" \
            && kill -0 "$runner" 2>/dev/null; then
        pass node-agent "ready: $(curl -s "http://127.0.0.1:${port}/q/health/ready" | tr -d ' \n' | cut -c1-200) ($((SECONDS - t0)) s)"
        [[ -S "${T}/agent-run/agent.sock" ]] && pass node-agent "socket ${T}/agent-run/agent.sock listening"
    else
        fail node-agent "not ready in 90 s: $(tail -20 "${T}/agent.log")"
    fi
    "${CTR[@]}" tasks kill -s SIGTERM agent >/dev/null 2>&1 || true
    wait "$runner" || true
    grep -qi "UnsatisfiedLinkError\|jna.*fail" "${T}/agent.log" && fail node-agent "JNA: $(grep -i "UnsatisfiedLink\|jna" "${T}/agent.log" | head -3)"
fi

if ref="$(ref_of operator)" && [[ -n "$ref" ]]; then
    t0=$SECONDS
    # No API server: KUBERNETES_SERVICE_HOST points at a closed local port, so the failure comes quickly.
    run_capture operator 90 "${RESTRICTED[@]}" --env KUBERNETES_SERVICE_HOST=127.0.0.1 \
        --env KUBERNETES_SERVICE_PORT=1 --env "JDK_JAVA_OPTIONS=-XX:+UseSerialGC -XX:MaxRAMPercentage=50" \
        "$ref" operator || true
    if grep -q "Quarkus\|quarkus" "${T}/operator.log" && grep -qi "127.0.0.1\|connect\|kubernetes" "${T}/operator.log"; then
        pass operator "the JVM and Quarkus started, then: $(grep -i -m1 "refused\|connect\|failed" "${T}/operator.log" | cut -c1-200) ($((SECONDS - t0)) s)"
    else
        fail operator "$(tail -20 "${T}/operator.log")"
    fi
fi
for log in "${T}"/*.log; do cp "$log" "${OUT}/smoke-$(basename "$log")"; done

((${#failures[@]} == 0)) || die "failed: ${failures[*]} (logs in ${OUT}/smoke-*.log)"
note "every image ran (logs in ${OUT}/smoke-*.log)"
