#!/usr/bin/env bash
# The Kubernetes compatibility matrix (docs/compatibility.md): the API-server
# tiers against each Kubernetes minor from the oldest the chart claims
# (helm/liveupdate-operator/Chart.yaml kubeVersion) to the newest the Go
# module proxy serves, and the real-node tier on the oldest and the newest.
# Run by hand, never by CI (CI runs the default version only).
#
# Usage: hack/test-matrix.sh [--versions LIST] [--tiers LIST] [--node-on LIST] [--no-docs] [--dry-run]
#   --versions v1.30.x,v1.37.2,default   releases to run; v1.N.x = the newest patch of 1.N the proxy
#                                        serves, default = tools/versions.env (default: every minor
#                                        from the chart's oldest claim to the newest served)
#   --tiers crd,admission,operator,agent,chart,node
#                                        tiers to run (default: all; node only where --node-on says)
#   --node-on oldest,newest|all|LIST      where the real-node tier runs (default: oldest,newest)
#   --no-docs                            print the table only, leave docs/compatibility.md alone
#   --dry-run                            print what would run, run nothing
#   --record RESULTS.tsv                 run nothing: merge the rows of an earlier run
#                                        (target/test-matrix/results-<pid>.tsv) into the docs
#
# Per version: hack/install-controlplane.sh with LIVEUPDATE_KUBERNETES_VERSION
# (first run builds it, ~10-20 min on 2 cores; cached ~2 s), then one Maven
# failsafe run per tier with LIVEUPDATE_KUBERNETES_VERSION exported, so the
# test cluster, its RealNode and the sandbox's Fleet use that release.
# A version that cannot be built gets a failed "build" row and the script
# goes on with the next one; the exit status is non-zero if any row failed.
# Logs: target/test-matrix/<version>-<tier>.log.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$PWD"

VERSIONS_ARG=""
TIERS_ARG="crd,admission,operator,agent,chart,node"
NODE_ON="oldest,newest"
WRITE_DOCS=1
DRY_RUN=0
RECORD=""
while [[ $# -gt 0 ]]; do
    case "$1" in
        --versions) VERSIONS_ARG="${2:?--versions needs a list}"; shift 2 ;;
        --tiers) TIERS_ARG="${2:?--tiers needs a list}"; shift 2 ;;
        --node-on) NODE_ON="${2:?--node-on needs a list}"; shift 2 ;;
        --no-docs) WRITE_DOCS=0; shift ;;
        --dry-run) DRY_RUN=1; shift ;;
        --record) RECORD="${2:?--record needs a results file}"; shift 2 ;;
        -h|--help) sed -n '2,27p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "test-matrix: unknown argument: $1 (try --help)" >&2; exit 2 ;;
    esac
done
COMMAND="hack/test-matrix.sh${VERSIONS_ARG:+ --versions ${VERSIONS_ARG}}"
if [[ "$TIERS_ARG" != crd,admission,operator,agent,chart,node ]]; then COMMAND+=" --tiers ${TIERS_ARG}"; fi

die() { echo "test-matrix: error: $*" >&2; exit 1; }
log() { echo "test-matrix: $*" >&2; }
LIST_TIMEOUT=180          # go list through the proxy
TIER_TIMEOUT="${LIVEUPDATE_MATRIX_TIER_TIMEOUT:-3600}"

# ---------------------------------------------------------------- the tiers
# tier -> Maven modules whose failsafe ITs it runs, and the IT classes.
shopt -s globstar nullglob
its_of() { # <module> [name pattern...]: the IT class names of a module's test sources
    local module="$1" f base; shift
    for f in "$module"/src/test/java/**/*IT.java; do
        base="${f##*/}"; base="${base%.java}"
        if [[ $# -eq 0 ]]; then echo "$base"; continue; fi
        local p; for p in "$@"; do if [[ "$base" == $p ]]; then echo "$base"; fi; done
    done
    return 0
}
tier_modules() {
    case "$1" in
        crd|admission|chart) echo "test-cluster" ;;
        operator) echo "operator" ;;
        agent) echo "node-agent" ;;
        node) echo "test-cluster e2e" ;;
        *) die "unknown tier '$1' (crd, admission, operator, agent, chart, node)" ;;
    esac
}
tier_tests() {
    case "$1" in
        # CRD install, every CEL rule, the examples, GC: the API-server half of test-cluster
        crd) its_of test-cluster TestClusterIT CrdInstallIT '*ValidationIT' KernelPolicyIT ExamplesIT GarbageCollectionIT ;;
        admission) its_of test-cluster AgentAdmissionPolicyIT ;;
        chart) its_of test-cluster 'HelmChart*IT' ;;
        operator) its_of operator ;;
        agent) its_of node-agent ;;
        node) its_of test-cluster RealNodeIT; its_of e2e ChartOnRealNodeIT ;;
    esac
}

# ---------------------------------------------------------------- the versions
chart_min_minor() {
    local kv
    kv="$(awk -F'"' '/^kubeVersion:/ { print $2 }' helm/liveupdate-operator/Chart.yaml)"
    [[ "$kv" =~ ^\>=1\.([0-9]+)\. ]] || die "cannot read the oldest minor from Chart.yaml kubeVersion '${kv}'"
    echo "${BASH_REMATCH[1]}"
}
SERVED=""
served() { # every k8s.io/kubernetes v1.N.P the proxy serves (cached for this run)
    if [[ -z "$SERVED" ]]; then
        SERVED="$(cd / && GOTOOLCHAIN=local timeout --kill-after=10 "$LIST_TIMEOUT" go list -m -versions k8s.io/kubernetes)" \
            || die "listing the served versions of k8s.io/kubernetes failed or timed out (${LIST_TIMEOUT}s): is the Go module proxy reachable?"
        SERVED="$(tr ' ' '\n' <<<"$SERVED" | grep -E '^v1\.[0-9]+\.[0-9]+$' | sort -V)"
    fi
    echo "$SERVED"
}
newest_patch() { # <minor>: v1.<minor>.<newest patch served>, or nothing
    served | grep -E "^v1\.$1\.[0-9]+$" | tail -n1
}
pinned_version() { awk -F= '$1 == "KUBERNETES_VERSION" { print $2 }' tools/versions.env | tr -d '[:space:]'; }

resolve_versions() {
    local v out=()
    if [[ -z "$VERSIONS_ARG" ]]; then
        local min max m
        min="$(chart_min_minor)"
        max="$(served | tail -n1 | cut -d. -f2)"
        for (( m = min; m <= max; m++ )); do
            v="$(newest_patch "$m")"
            [[ -n "$v" ]] && out+=("$v")
        done
    else
        IFS=',' read -ra wanted <<<"$VERSIONS_ARG"
        for v in "${wanted[@]}"; do
            case "$v" in
                default) out+=("$(pinned_version)") ;;
                v1.*.x) local r; r="$(newest_patch "$(cut -d. -f2 <<<"$v")")"
                        [[ -n "$r" ]] || die "the module proxy serves no k8s.io/kubernetes ${v}"
                        out+=("$r") ;;
                v1.*.*) [[ "$v" =~ ^v1\.[0-9]+\.[0-9]+$ ]] || die "'${v}' is not a release like v1.37.2"
                        out+=("$v") ;;
                *) die "'${v}' is not a release like v1.37.2, v1.30.x or default" ;;
            esac
        done
    fi
    printf '%s\n' "${out[@]}" | sort -uV
}

IFS=',' read -ra TIERS <<<"$TIERS_ARG"
for t in "${TIERS[@]}"; do tier_modules "$t" >/dev/null; done

runs_node_on() { # <version>
    local v="$1" w
    IFS=',' read -ra where <<<"$NODE_ON"
    for w in "${where[@]}"; do
        case "$w" in
            all) return 0 ;;
            oldest) [[ "$v" == "${VERSIONS[0]}" ]] && return 0 ;;
            newest) [[ "$v" == "${VERSIONS[-1]}" ]] && return 0 ;;
            default) [[ "$v" == "$(pinned_version)" ]] && return 0 ;;
            *) [[ "$v" == "$w" ]] && return 0 ;;
        esac
    done
    return 1
}

# ---------------------------------------------------------------- running
OUT="${ROOT}/target/test-matrix"
mkdir -p "$OUT"
RESULTS="${OUT}/results-$$.tsv"   # this run's rows: version tier tests failures skipped seconds status
TODAY="$(date -u +%F)"
FAILED=0

fmt_duration() { printf '%dm%02ds' $(( $1 / 60 )) $(( $1 % 60 )); }

count_reports() { # <tests file> <module...>: "tests failures skipped" over the listed classes' failsafe reports
    python3 - "$@" <<'EOF'
import sys, glob, os, xml.etree.ElementTree as ET
wanted = set(open(sys.argv[1]).read().split())
tests = failures = skipped = 0
for module in sys.argv[2:]:
    for f in glob.glob(os.path.join(module, "target", "failsafe-reports", "TEST-*.xml")):
        s = ET.parse(f).getroot()
        if s.get("name", "").rsplit(".", 1)[-1] not in wanted:
            continue
        tests += int(s.get("tests", 0))
        failures += int(s.get("failures", 0)) + int(s.get("errors", 0))
        skipped += int(s.get("skipped", 0))
print(tests, failures, skipped)
EOF
}

run_tier() { # <version> <tier>
    local v="$1" tier="$2" modules tests log start rc=0 secs counts status
    read -ra modules <<<"$(tier_modules "$tier")"
    mapfile -t tests < <(tier_tests "$tier")
    [[ ${#tests[@]} -gt 0 ]] || die "tier ${tier} has no IT classes (renamed?)"
    log="${OUT}/${v}-${tier}.log"
    local pl="crds,test-cluster" m
    for m in "${modules[@]}"; do [[ ",${pl}," == *",${m},"* ]] || pl+=",${m}"; done
    local it_list; it_list="$(IFS=,; echo "${tests[*]}")"
    local cmd=(mvn -B -o -ntp -pl "$pl" -am verify -Dtest=NoSuchTest -Dsurefire.failIfNoSpecifiedTests=false
               "-Dit.test=${it_list}" -Dfailsafe.failIfNoSpecifiedTests=false
               # a failure in one module must not skip the next (node: test-cluster, then e2e); the reports count
               -Dmaven.test.failure.ignore=true)
    if [[ "$DRY_RUN" == 1 ]]; then
        echo "LIVEUPDATE_KUBERNETES_VERSION=${v} ${cmd[*]}"
        return 0
    fi
    # Every module of the run: failsafe:verify of a module whose ITs are filtered out re-reads an old summary.
    local -a all_modules; IFS=',' read -ra all_modules <<<"$pl"
    for m in "${all_modules[@]}"; do rm -rf "${m}/target/failsafe-reports"; done
    printf '%s\n' "${tests[@]}" > "${OUT}/${v}-${tier}.tests"
    log "${v} ${tier}: ${#tests[@]} classes (${it_list}); log ${log}"
    start=$SECONDS
    ( export LIVEUPDATE_KUBERNETES_VERSION="$v"
      # shellcheck source=hack/controlplane-env.sh
      source hack/controlplane-env.sh
      exec timeout --kill-after=60 "$TIER_TIMEOUT" "${cmd[@]}" ) > "$log" 2>&1 </dev/null || rc=$?
    secs=$(( SECONDS - start ))
    counts="$(count_reports "${OUT}/${v}-${tier}.tests" "${modules[@]}")"
    read -r t f s <<<"$counts"
    if [[ $rc -eq 124 || $rc -eq 137 ]]; then status="timeout (${TIER_TIMEOUT}s)"
    elif [[ "$t" == 0 ]]; then status="no tests ran (exit ${rc})"
    elif [[ $rc -ne 0 || "$f" != 0 ]]; then status="FAIL"
    else status="pass"; fi
    [[ "$status" == pass ]] || FAILED=1
    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$v" "$tier" "$t" "$f" "$s" "$secs" "$status" >> "$RESULTS"
    log "${v} ${tier}: ${status}, ${t} tests, ${f} failures, ${s} skipped in $(fmt_duration "$secs")"
}

run_matrix() {
mapfile -t VERSIONS < <(resolve_versions)
[[ ${#VERSIONS[@]} -gt 0 ]] || die "no versions to run"
log "versions: ${VERSIONS[*]}; tiers: ${TIERS[*]} (node on: ${NODE_ON})"
: > "$RESULTS"
# The date and command the rows are recorded with (--record reads them back).
printf '%s\t%s\n' "$TODAY" "$COMMAND" > "${RESULTS%.tsv}.meta"
for v in "${VERSIONS[@]}"; do
    log "=== Kubernetes ${v}"
    if [[ "$DRY_RUN" == 1 ]]; then
        echo "LIVEUPDATE_KUBERNETES_VERSION=${v} bash hack/install-controlplane.sh"
    else
        start=$SECONDS rc=0
        LIVEUPDATE_KUBERNETES_VERSION="$v" bash hack/install-controlplane.sh > "${OUT}/${v}-build.log" 2>&1 </dev/null || rc=$?
        secs=$(( SECONDS - start ))
        if [[ $rc -ne 0 ]]; then
            why="$(grep -m1 'error:' "${OUT}/${v}-build.log" | sed 's/^install-controlplane: error: //' | cut -c1-160 || true)"
            log "${v}: the build failed: ${why} (log ${OUT}/${v}-build.log)"
            printf '%s\t%s\t-\t-\t-\t%s\t%s\n' "$v" build "$secs" "FAIL: ${why//|/\\|}" >> "$RESULTS"
            FAILED=1
            continue
        fi
        printf '%s\t%s\t-\t-\t-\t%s\t%s\n' "$v" build "$secs" "pass" >> "$RESULTS"
    fi
    for tier in "${TIERS[@]}"; do
        if [[ "$tier" == node ]] && ! runs_node_on "$v"; then continue; fi
        run_tier "$v" "$tier"
    done
done
}

if [[ -n "$RECORD" ]]; then
    [[ -s "$RECORD" && -s "${RECORD%.tsv}.meta" ]] || die "--record needs a results file and its .meta beside it: ${RECORD}"
    RESULTS="$RECORD"
    IFS=$'\t' read -r TODAY COMMAND < "${RECORD%.tsv}.meta"
else
    run_matrix
    if [[ "$DRY_RUN" == 1 ]]; then exit 0; fi
fi

# ---------------------------------------------------------------- the table
table() { # markdown rows of this run
    awk -F'\t' -v date="$TODAY" -v cmd="$COMMAND" '
        function dur(s) { return sprintf("%dm%02ds", int(s / 60), s % 60) }
        { printf "| %s | %s | %s | %s | %s | %s | %s | %s | `%s` |\n", $1, $2, $3, $4, $5, dur($6), $7, date, cmd }' "$RESULTS"
}
echo
echo "| version | tier | tests | failures | skipped | time | result | date | command |"
echo "|---|---|---|---|---|---|---|---|---|"
table

if [[ "$WRITE_DOCS" == 1 ]]; then
    # Merge into docs/compatibility.md between the markers: a (version, tier) row of this run
    # replaces the same row of an earlier run, other rows stay.
    table > "${RESULTS%.tsv}.md"
    # The rows go in as a file: stdin is the program.
    python3 - docs/compatibility.md "${RESULTS%.tsv}.md" <<'EOF'
import sys
path = sys.argv[1]
doc = open(path).read()
begin, end = "<!-- test-matrix:begin -->", "<!-- test-matrix:end -->"
if begin not in doc or end not in doc:
    sys.exit(f"test-matrix: {path} lacks the {begin} / {end} markers")
head, rest = doc.split(begin, 1)
old, tail = rest.split(end, 1)
header = ["| version | tier | tests | failures | skipped | time | result | date | command |",
          "|---|---|---|---|---|---|---|---|---|"]
tiers = ["build", "crd", "admission", "operator", "agent", "chart", "node"]
rows = {}
for line in old.splitlines():
    cells = [c.strip() for c in line.strip().strip("|").split("|")]
    if line.startswith("| v1."):
        rows[(cells[0], cells[1])] = line
for line in open(sys.argv[2]).read().splitlines():
    cells = [c.strip() for c in line.strip().strip("|").split("|")]
    rows[(cells[0], cells[1])] = line
def key(k):
    v, t = k
    return (tuple(int(x) for x in v[1:].split(".")), tiers.index(t) if t in tiers else 99)
body = "\n".join(header + [rows[k] for k in sorted(rows, key=key)])
open(path, "w").write(head + begin + "\n" + body + "\n" + end + tail)
EOF
    log "wrote docs/compatibility.md"
fi
exit "$FAILED"
