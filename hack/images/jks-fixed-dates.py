#!/usr/bin/env python3
"""Rewrites the creation dates of every entry of a JKS keystore to one given time and recomputes its integrity hash.

ca-certificates-java builds /etc/ssl/certs/java/cacerts at install time, stamping each certificate with "now": the
only file of the base rootfs that differs between two builds of the same packages (hack/images/build-base.sh).
usage: jks-fixed-dates.py KEYSTORE EPOCH_SECONDS [STOREPASS]   (STOREPASS default: changeit, Debian's)
"""
import hashlib
import struct
import sys


def _utf(data, pos):
    (n,) = struct.unpack_from(">H", data, pos)
    return pos + 2 + n


def rewrite(data, millis, password):
    magic, version, count = struct.unpack_from(">III", data, 0)
    if magic != 0xFEEDFEED or version != 2:
        raise ValueError("not a version 2 JKS keystore")
    out = bytearray(data[:-20])
    pos = 12
    for _ in range(count):
        (tag,) = struct.unpack_from(">I", data, pos)
        pos = _utf(data, pos + 4)  # alias
        struct.pack_into(">q", out, pos, millis)
        pos += 8
        if tag == 1:  # private key: key bytes, then a certificate chain
            (n,) = struct.unpack_from(">I", data, pos)
            pos += 4 + n
            (chain,) = struct.unpack_from(">I", data, pos)
            pos += 4
        elif tag == 2:  # trusted certificate
            chain = 1
        else:
            raise ValueError(f"unknown JKS entry tag {tag}")
        for _ in range(chain):
            pos = _utf(data, pos)  # certificate type
            (n,) = struct.unpack_from(">I", data, pos)
            pos += 4 + n
    if pos != len(data) - 20:
        raise ValueError("trailing bytes after the last entry")
    if hashlib.sha1(password.encode("utf-16-be") + b"Mighty Aphrodite" + data[:-20]).digest() != data[-20:]:
        raise ValueError("integrity hash does not match: wrong store password?")
    out += hashlib.sha1(password.encode("utf-16-be") + b"Mighty Aphrodite" + bytes(out)).digest()
    return bytes(out)


def main():
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__)
    path, epoch = sys.argv[1], int(sys.argv[2])
    password = sys.argv[3] if len(sys.argv) == 4 else "changeit"
    with open(path, "rb") as f:
        data = f.read()
    try:
        new = rewrite(data, epoch * 1000, password)
    except (ValueError, struct.error) as e:
        sys.exit(f"jks-fixed-dates: {path}: {e}")
    with open(path, "r+b") as f:
        f.write(new)


if __name__ == "__main__":
    main()
