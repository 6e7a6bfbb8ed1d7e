#!/bin/sh
# Guest side of qemu/conformance/run.sh: the luo-kernel conformance suite on the real
# /dev/liveupdate through the project's own JNA code (the host's JVM via chroot /host).
#   boot 1 (lu.stage=1): --stage single, then --stage kexec-1 (preserve, kexec_file_load of the
#                        same bzImage + initramfs with lu.stage=2, reboot(KEXEC))
#   boot 2 (lu.stage=2): --stage kexec-2 (retrieve, verify, FINISH); exit status covers all stages
# Reads <share>/run.env (CP, KERNEL, INITRD, STAGE2_CMDLINE) written by run.sh.
. "$(dirname "$0")/../guest/lib.sh"
. "$SHARE/run.env"
guest_chroot_setup
guest_clock_from_host

conformance() {
  [ -n "${ONLY:-}" ] && set -- "$@" --only "$ONLY"
  echo "LUO-CONFORMANCE: launching the JVM for $2"
  in_host /usr/bin/java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xmx256m -cp "$CP" \
    dev.liveupdate.luo.conformance.ConformanceMain --backend real "$@"
}

# Output goes straight to the console (the host parses console.log): a pipe could still hold the
# last lines of stage 1 when reboot(KEXEC) ends this kernel.
case "${LU_STAGE:-1}" in
  1)
    conformance --stage single
    echo "$?" > "$SHARE/single.rc"
    sync
    conformance --stage kexec-1 --handoff "$LU_SHARE/handoff" --kernel "$KERNEL" --initrd "$INITRD" \
      --cmdline "$STAGE2_CMDLINE"
    echo "LUO-CONFORMANCE: kexec-1 returned ($?): the kexec did not happen"
    exit 1
    ;;
  2)
    conformance --stage kexec-2 --handoff "$LU_SHARE/handoff"
    rc=$?
    single="$(cat "$SHARE/single.rc" 2>/dev/null || echo missing)"
    echo "LUO-CONFORMANCE: single exit=$single kexec-2 exit=$rc"
    [ "$rc" = 0 ] && [ "$single" = 0 ]
    ;;
  *)
    echo "LUO-CONFORMANCE: unknown stage ${LU_STAGE}"
    exit 2
    ;;
esac
