#!/bin/sh
# Installs the JRE of the liveupdate JVM images into a Debian bookworm root and strips what a JVM service never reads.
# Run as root inside that root: by the Containerfiles (FROM debian:bookworm-slim) and by hack/build-images.sh (in the
# chroot of its debootstrap --variant=minbase rootfs), so both builds install the same packages the same way.
# The apt sources are the caller's; this script does not touch them.
set -eu
export DEBIAN_FRONTEND=noninteractive

# Never unpack documentation, man pages or translations (dpkg path-exclude, what Debian's own slim images use), but
# keep the copyright files: they go wherever the image goes.
cat > /etc/dpkg/dpkg.cfg.d/liveupdate-excludes <<'CFG'
path-exclude=/usr/share/doc/*
path-include=/usr/share/doc/*/copyright
path-exclude=/usr/share/man/*
path-exclude=/usr/share/info/*
path-exclude=/usr/share/lintian/*
path-exclude=/usr/share/locale/*
path-include=/usr/share/locale/locale.alias
CFG

apt-get update -qq
# The base packages at their current (security) versions, then the JRE without its Recommends (fonts, X libraries).
apt-get upgrade -y -qq
apt-get install -y -qq --no-install-recommends openjdk-17-jre-headless

# The operator's user (uid/gid 65532, the "nonroot" of distroless images), written directly instead of useradd, which
# would stamp today's date into /etc/shadow.
grep -q '^nonroot:' /etc/group || echo 'nonroot:x:65532:' >> /etc/group
grep -q '^nonroot:' /etc/passwd || echo 'nonroot:x:65532:65532:nonroot:/home/nonroot:/usr/sbin/nologin' >> /etc/passwd
grep -q '^nonroot:' /etc/shadow || echo 'nonroot:!:::::::' >> /etc/shadow
mkdir -p /home/nonroot
chown 65532:65532 /home/nonroot
chmod 0750 /home/nonroot

# What the packages installed before the excludes left, and apt's and dpkg's caches and logs.
# LIVEUPDATE_KEEP_APT_CACHE: hack/build-images.sh keeps the downloaded .debs in its cache (a bind mount).
[ -n "${LIVEUPDATE_KEEP_APT_CACHE:-}" ] || apt-get clean
find /usr/share/doc -mindepth 1 ! -type d ! -name copyright -delete
find /usr/share/doc -mindepth 1 -depth -type d -empty -delete
rm -rf /usr/share/man/* /usr/share/info/* /usr/share/lintian/*
find /usr/share/locale -mindepth 1 -maxdepth 1 ! -name locale.alias -exec rm -rf {} +
rm -rf /var/lib/apt/lists/* /var/cache/apt/*.bin /var/cache/debconf/*-old /var/lib/dpkg/*-old
find /var/log -type f -delete
