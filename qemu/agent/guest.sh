#!/bin/sh
# Guest side of qemu/agent/run.sh: a real live update by the real node agent (standalone mode,
# reboot strategy direct) on the real /dev/liveupdate.
#   boot 1 (lu.stage=1): agent process 1 starts; the sample workload (lu-client) hands over a
#     memfd of random bytes through the agent socket; this script plays the operator through the
#     instruction file: Prepared, then Rebooted; the agent kexec_file_loads the same kernel and
#     reboot(KEXEC)s.
#   boot 2 (lu.stage=2): agent process 2 starts (as the kubelet would restart the DaemonSet pod),
#     retrieves the session (phase Restoring); then the workload (a new process) gets its fd back
#     and checks the SHA-256;
#     the instruction says Finished; the agent FINISHes. Exit 0 only if all of that happened.
# Reads <share>/run.env written by run.sh. Every marker line starts with "LUO-AGENT:".
. "$(dirname "$0")/../guest/lib.sh"
. "$SHARE/run.env"
guest_chroot_setup
guest_clock_from_host

STATUS="$SHARE/status.json"
SOCKET=/run/liveupdate/agent.sock

instruct() { # $1 = step
  cat > "$SHARE/lun.yaml.tmp" <<YAML
apiVersion: liveupdate.dev/v1alpha1
kind: LiveUpdateNode
metadata:
  name: $NODE
spec:
  nodeName: $NODE
  instruction:
    plan: {name: $PLAN, uid: $PLAN_UID, generation: 1}
    step: $1
    kernel:
      release: "$RELEASE"
      image: $KERNEL
      sha256: $KERNEL_SHA256
      initrd: $INITRD
      initrdSha256: $INITRD_SHA256
      cmdline: "$STAGE2_CMDLINE"
    sessions:
    - name: vm
      required: true
      minFiles: 1
      restore: {rule: AllTokensReclaimed, timeout: 30m, onTimeout: Fail}
    prepareTimeout: 30m
YAML
  mv "$SHARE/lun.yaml.tmp" "$SHARE/lun.yaml"
  echo "LUO-AGENT: instruction step $1"
}

phase_is() { grep -q "\"phase\":\"$1\"" "$STATUS" 2>/dev/null; }

# A dead agent fails the run at once instead of letting every wait run into its timeout.
agent_alive() { [ -n "${AGENT_PID:-}" ] && kill -0 "$AGENT_PID" 2>/dev/null; }

await_phase() { # $1 = phase, $2 = seconds
  if ! wait_for "$2" "phase_is $1 || phase_is Failed || ! agent_alive"; then
    echo "LUO-AGENT: timeout waiting for phase $1"; return 1
  fi
  if ! phase_is "$1" && ! phase_is Failed && ! agent_alive; then
    echo "LUO-AGENT: the agent process exited while waiting for phase $1"; return 1
  fi
  if phase_is Failed && [ "$1" != Failed ]; then
    echo "LUO-AGENT: the agent reports Failed:"; cat "$STATUS"; echo; return 1
  fi
  echo "LUO-AGENT: phase $1"
}

start_agent() { # $1 = process number
  echo "LUO-AGENT: agent process $1 launched at $(now_ns)"
  in_host NODE_NAME="$NODE" /usr/bin/java -XX:+UseSerialGC -Xmx48m -Xss512k -XX:TieredStopAtLevel=1 \
    -XX:MaxMetaspaceSize=80m -XX:ReservedCodeCacheSize=24m -XX:CICompilerCount=1 \
    -Dliveupdate.agent.reboot-strategy=direct \
    -Dliveupdate.agent.kernel-dirs="${KERNEL%/*},${INITRD%/*}" \
    -Dliveupdate.agent.kernel-policy.allowed-cmdlines="$STAGE2_CMDLINE" \
    -Dliveupdate.agent.state-dir="$LU_SHARE/agent-state" \
    -Dliveupdate.agent.standalone.instruction-file="$LU_SHARE/lun.yaml" \
    -Dliveupdate.agent.standalone.status-file="$LU_SHARE/status.json" \
    -Dliveupdate.agent.socket.path="$SOCKET" \
    -Dquarkus.http.port=0 \
    -jar "$AGENT_JAR" &
  AGENT_PID=$!
}

lu_client() {
  in_host LIVEUPDATE_AGENT_SOCKET="$SOCKET" /usr/bin/java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xmx64m -jar "$LU_CLIENT_JAR" "$@"
}

case "${LU_STAGE:-1}" in
  1)
    instruct Prepared
    start_agent 1
    wait_for 1200 "([ -S /host$SOCKET ] && grep -q '\"capable\":true' '$STATUS' 2>/dev/null) || ! agent_alive" \
      && agent_alive || { echo "LUO-AGENT: agent 1 did not become ready (or exited)"; exit 1; }
    echo "LUO-AGENT: agent 1 ready (status capable, socket listening)"
    lu_client workload --session vm --token 1 --bytes "$BYTES" --record "$LU_SHARE/vm.rec" \
      || { echo "LUO-AGENT: the workload could not hand over its memfd"; exit 1; }
    await_phase Prepared 900 || exit 1
    instruct Rebooted
    # The agent kexecs this machine now; nothing below runs unless it did not.
    await_phase Rebooting 600 || exit 1
    wait_for 120 "phase_is Failed" || true
    echo "LUO-AGENT: still in the old kernel:"; cat "$STATUS"; echo
    exit 1
    ;;
  2)
    start_agent 2
    # The guest has one emulated CPU: the workload's JVM is started once the agent has restored
    # the session, so the two JVM starts are measured one after the other instead of competing.
    await_phase Restoring 1200 || exit 1
    echo "LUO-AGENT: workload launched at $(now_ns)"
    lu_client workload-verify --record "$LU_SHARE/vm.rec" --timeout 20m \
      || { echo "LUO-AGENT: the workload did not get its bytes back"; exit 1; }
    echo "LUO-AGENT: workload verified at $(now_ns)"
    await_phase Updated 900 || exit 1
    instruct Finished
    await_phase Finished 600 || exit 1
    grep -q '"result":"Finished"' "$STATUS" || { echo "LUO-AGENT: no Finished outcome"; exit 1; }
    echo "LUO-AGENT: blackout $(grep -o '"durationMillis":[0-9]*' "$STATUS" | head -1 | cut -d: -f2) ms" \
      "(status.blackout: reboot(KEXEC) issued -> the workload holds its restored memfd)"
    kill "$AGENT_PID" 2>/dev/null
    wait "$AGENT_PID" 2>/dev/null
    echo "LUO-AGENT: done"
    exit 0
    ;;
  *)
    echo "LUO-AGENT: unknown stage ${LU_STAGE}"
    exit 2
    ;;
esac
