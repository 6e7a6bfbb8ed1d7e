# Host-side helpers for the qemu/*/run.sh scripts (bash). Source after setting $root (repo root).
cache="${LIVEUPDATE_CACHE:-$HOME/.cache/liveupdate-operator}"

now() { echo "$EPOCHREALTIME"; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN{printf "%.1f", b-a}'; }

# The project's jars the guest runs (through the read-only host share). Missing ones are built
# (`mvn install -DskipTests` of the modules needed); a test run from the reactor finds them fresh.
#   needs: luo-kernel | agent (luo-kernel, agent-client's lu-client.jar, node-agent's quarkus-app)
ensure_artifacts() {
  local what="$1" modules="luo-kernel" missing=0
  jna_version="$(sed -n 's:.*<jna.version>\(.*\)</jna.version>.*:\1:p' "$root/pom.xml" | head -1)"
  JNA_JAR="$HOME/.m2/repository/net/java/dev/jna/jna/$jna_version/jna-$jna_version.jar"
  LUO_JAR="$(ls "$root"/luo-kernel/target/luo-kernel-*.jar 2>/dev/null | grep -v -e sources -e tests | head -1)"
  [ -n "$LUO_JAR" ] && [ -f "$JNA_JAR" ] || missing=1
  if [ "$what" = agent ]; then
    modules="luo-kernel,agent-client,node-agent"
    LU_CLIENT_JAR="$root/agent-client/target/lu-client.jar"
    AGENT_JAR="$root/node-agent/target/quarkus-app/quarkus-run.jar"
    [ -f "$LU_CLIENT_JAR" ] && [ -f "$AGENT_JAR" ] || missing=1
  fi
  if [ "$missing" = 1 ]; then
    echo "qemu: building $modules (jars missing)" >&2
    (cd "$root" && mvn -B -q -ntp -pl "$modules" -am install -DskipTests) >&2 || { echo "qemu: build of $modules failed" >&2; return 1; }
    LUO_JAR="$(ls "$root"/luo-kernel/target/luo-kernel-*.jar 2>/dev/null | grep -v -e sources -e tests | head -1)"
  fi
  [ -f "$JNA_JAR" ] || { echo "qemu: no JNA jar at $JNA_JAR" >&2; return 1; }
  CP="$LUO_JAR:$JNA_JAR"
}

# The kernel image and the generic initramfs (built and cached on first use).
ensure_guest_images() {
  KERNEL="${KERNEL:-$("$root/hack/kernel/build-kernel.sh" | tail -1)}" || return 1
  INITRD="${INITRD:-$("$root/hack/kernel/build-initramfs.sh" | tail -1)}" || return 1
  [ -f "$KERNEL" ] && [ -f "$INITRD" ] || { echo "qemu: kernel or initramfs missing" >&2; return 1; }
  KERNEL_VERSION="$(sed -n 's/^version=//p' "$(dirname "$KERNEL")/source-version" 2>/dev/null | head -1)"
}

# Host seconds (since qemu start) of the first console line containing $2 in $1 (console.log.ts).
ts_of() { grep -a -m1 -F -- "$2" "$1" | sed -E 's/^\[ *([0-9.]+)\].*/\1/'; }
# ... of the n-th such line.
ts_nth() { grep -a -F -- "$2" "$1" | sed -n "${3}p" | sed -E 's/^\[ *([0-9.]+)\].*/\1/'; }
