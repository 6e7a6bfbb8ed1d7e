#!/usr/bin/env bash
# Debian packages the build and tests need beyond the machine's JDK, Maven, Go and gcc. Idempotent.
set -euo pipefail
packages=(openssl ca-certificates procps python3 util-linux debootstrap curl containerd runc containernetworking-plugins iptables iproute2 conntrack)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
for tool in java mvn go gcc; do
  command -v "$tool" >/dev/null || { echo "error: $tool not found; this project needs JDK 17, Maven, Go and gcc on PATH" >&2; exit 1; }
done
if ((${#missing[@]})); then
  echo "installing: ${missing[*]}"
  if [ "$(id -u)" -ne 0 ]; then SUDO=sudo; else SUDO=; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
fi
echo "prerequisites present"
