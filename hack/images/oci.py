#!/usr/bin/env python3
"""OCI image pieces for hack/build-images.sh, without a container engine or a registry.

  base-layer  the JVM images' shared base layer from a rootfs (cached), checked against images/base/packages.lock
  image       one OCI image archive from a Containerfile's final stage (+ the base layer), listed in images.tsv
  config      print what build-images.sh reads from a Containerfile's final stage (for people and for checks)

Reproducible by construction: entries sorted by path, every mtime the given epoch, numeric owners without names,
modes normalised in app layers, gzip without name or time, JSON with sorted keys. docs/images.md explains the rules.
"""
import argparse
import datetime
import gzip
import hashlib
import io
import json
import os
import shlex
import shutil
import stat
import sys
import tarfile
import tempfile
import time

MEDIA_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
MEDIA_CONFIG = "application/vnd.oci.image.config.v1+json"
MEDIA_LAYER = "application/vnd.oci.image.layer.v1.tar+gzip"
# Docker's and Debian's image PATH: the base stage (debian:bookworm-slim) has it in its config.
DEFAULT_PATH = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
GZIP_LEVEL = 6
LIST_HEADER = "# name\treference\tarchive\tmanifestDigest\tconfigDigest\tbytes"


class BuildError(Exception):
    """A problem the person running the build can fix; printed without a stack trace."""


# ----------------------------------------------------------------------------------------------------- layers

class _HashingWriter:
    """Counts and hashes what passes through to the underlying file."""

    def __init__(self, target):
        self.target = target
        self.sha = hashlib.sha256()
        self.size = 0

    def write(self, data):
        self.sha.update(data)
        self.size += len(data)
        return self.target.write(data)

    def flush(self):
        self.target.flush()


class Entry:
    """One file system object of a layer: where it goes, where its bytes come from, and its metadata."""

    def __init__(self, path, source, st, uid, gid, mode):
        self.path = path  # relative, no leading slash: "deployments/lib/x.jar"
        self.source = source
        self.st = st
        self.uid = uid
        self.gid = gid
        self.mode = mode


def _kind(st):
    if stat.S_ISDIR(st.st_mode):
        return tarfile.DIRTYPE
    if stat.S_ISREG(st.st_mode):
        return tarfile.REGTYPE
    if stat.S_ISLNK(st.st_mode):
        return tarfile.SYMTYPE
    if stat.S_ISFIFO(st.st_mode):
        return tarfile.FIFOTYPE
    if stat.S_ISCHR(st.st_mode):
        return tarfile.CHRTYPE
    if stat.S_ISBLK(st.st_mode):
        return tarfile.BLKTYPE
    raise BuildError(f"cannot put a socket into a layer: {st}")


def write_layer(entries, epoch, out_path):
    """Writes entries (sorted here) as a gzip'd tar; returns (digest, diff_id, size) of the blob."""
    entries = sorted(entries, key=lambda e: e.path.encode())
    with open(out_path, "wb") as raw:
        compressed = _HashingWriter(raw)
        # filename="" and mtime=0: no name and no time in the gzip header.
        with gzip.GzipFile(filename="", mode="wb", fileobj=compressed, mtime=0, compresslevel=GZIP_LEVEL) as gz:
            uncompressed = _HashingWriter(gz)
            with tarfile.open(fileobj=uncompressed, mode="w|", format=tarfile.PAX_FORMAT) as tar:
                first_of_inode = {}
                for e in entries:
                    info = tarfile.TarInfo(e.path)
                    info.mtime = epoch
                    info.uid, info.gid = e.uid, e.gid
                    info.uname = info.gname = ""
                    info.mode = e.mode
                    kind = _kind(e.st)
                    inode = (e.st.st_dev, e.st.st_ino)
                    if kind == tarfile.REGTYPE and e.st.st_nlink > 1 and inode in first_of_inode:
                        info.type = tarfile.LNKTYPE
                        info.linkname = first_of_inode[inode]
                        tar.addfile(info)
                        continue
                    info.type = kind
                    if kind == tarfile.REGTYPE:
                        if e.st.st_nlink > 1:
                            first_of_inode[inode] = e.path
                        info.size = e.st.st_size
                        with open(e.source, "rb") as f:
                            tar.addfile(info, f)
                    elif kind == tarfile.SYMTYPE:
                        info.linkname = os.readlink(e.source)
                        tar.addfile(info)
                    else:
                        if kind in (tarfile.CHRTYPE, tarfile.BLKTYPE):
                            info.devmajor, info.devminor = os.major(e.st.st_rdev), os.minor(e.st.st_rdev)
                        tar.addfile(info)
            uncompressed_digest = "sha256:" + uncompressed.sha.hexdigest()
    return "sha256:" + compressed.sha.hexdigest(), uncompressed_digest, compressed.size


def rootfs_entries(root):
    """Every object under root with its own owner and mode (the base layer: the rootfs as dpkg left it)."""
    out = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in sorted(dirnames) + sorted(filenames):
            full = os.path.join(dirpath, name)
            st = os.lstat(full)
            rel = os.path.relpath(full, root)
            out.append(Entry(rel, full, st, st.st_uid, st.st_gid, stat.S_IMODE(st.st_mode)))
    return out


def _normalised_mode(st):
    """App layers: 0755 for directories and anything executable, 0644 for the rest, whatever the umask was."""
    if stat.S_ISDIR(st.st_mode) or (stat.S_ISREG(st.st_mode) and st.st_mode & 0o111):
        return 0o755
    return 0o644 if stat.S_ISREG(st.st_mode) else 0o777


# ------------------------------------------------------------------------------------------------ Containerfile

class Stage:
    def __init__(self, base, name):
        self.base = base
        self.name = name
        self.instructions = []  # (keyword, arguments text)


def parse_containerfile(path):
    """Stages with their instructions: continuation lines joined, comments dropped."""
    stages = []
    logical = ""
    with open(path, encoding="utf-8") as f:
        lines = f.read().splitlines()
    joined = []
    for line in lines:
        stripped = line.strip()
        if not logical and (not stripped or stripped.startswith("#")):
            continue
        if logical and stripped.startswith("#"):
            continue
        if stripped.endswith("\\"):
            logical += stripped[:-1] + " "
            continue
        joined.append(logical + stripped)
        logical = ""
    if logical:
        joined.append(logical)
    for line in joined:
        keyword, _, rest = line.partition(" ")
        keyword = keyword.upper()
        rest = rest.strip()
        if keyword == "FROM":
            words = rest.split()
            name = words[2] if len(words) == 3 and words[1].upper() == "AS" else None
            stages.append(Stage(words[0], name))
        elif not stages:
            if keyword != "ARG":
                raise BuildError(f"{path}: {keyword} before the first FROM")
        else:
            stages[-1].instructions.append((keyword, rest))
    if not stages:
        raise BuildError(f"{path}: no FROM")
    return stages


def _pairs(text):
    """KEY=value pairs of ENV and LABEL (quotes as the shell reads them)."""
    out = {}
    for word in shlex.split(text):
        key, sep, value = word.partition("=")
        if not sep:
            raise BuildError(f"expected KEY=value, got {word!r} (the legacy 'ENV KEY value' form is not supported)")
        out[key] = value
    return out


def final_stage_config(path):
    """What the final stage says: its base (scratch or the JRE base stage), COPYs and runtime configuration."""
    stages = parse_containerfile(path)
    final = stages[-1]
    by_name = {s.name: s for s in stages if s.name}
    if final.base == "scratch":
        base = "scratch"
    elif final.base in by_name and any(k == "RUN" and "install-jre.sh" in a for k, a in by_name[final.base].instructions):
        base = "jre"
    else:
        raise BuildError(f"{path}: the final stage must start FROM scratch or FROM the stage that runs "
                         f"images/base/install-jre.sh; got FROM {final.base}")
    cfg = {"base": base, "copies": [], "env": [], "labels": {}, "user": "", "workdir": "", "entrypoint": None,
           "cmd": None, "exposed": [], "stopsignal": ""}
    for keyword, args in final.instructions:
        if keyword == "COPY":
            words = shlex.split(args)
            opts = {}
            while words and words[0].startswith("--"):
                key, _, value = words.pop(0)[2:].partition("=")
                opts[key] = value
            unknown = set(opts) - {"from", "chown"}
            if unknown or len(words) != 2:
                raise BuildError(f"{path}: COPY {args}: build-images.sh reads 'COPY [--from=stage] [--chown=uid:gid] "
                                 f"SRC DST' only")
            if opts.get("from") and opts["from"] not in by_name:
                raise BuildError(f"{path}: COPY --from={opts['from']}: no such stage")
            uid, gid = 0, 0
            if opts.get("chown"):
                u, _, g = opts["chown"].partition(":")
                if not u.isdigit() or (g and not g.isdigit()):
                    raise BuildError(f"{path}: COPY --chown={opts['chown']}: numeric uid:gid only")
                uid, gid = int(u), int(g or u)
            cfg["copies"].append({"from": opts.get("from"), "src": words[0], "dst": words[1], "uid": uid, "gid": gid})
        elif keyword == "ENV":
            cfg["env"].extend(f"{k}={v}" for k, v in _pairs(args).items())
        elif keyword == "LABEL":
            cfg["labels"].update(_pairs(args))
        elif keyword == "USER":
            cfg["user"] = args
        elif keyword == "WORKDIR":
            cfg["workdir"] = args
        elif keyword in ("ENTRYPOINT", "CMD"):
            try:
                value = json.loads(args)
            except json.JSONDecodeError:
                value = None
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise BuildError(f"{path}: {keyword} must be the JSON (exec) form")
            cfg[keyword.lower()] = value
        elif keyword == "EXPOSE":
            cfg["exposed"].extend(p if "/" in p else p + "/tcp" for p in args.split())
        elif keyword == "STOPSIGNAL":
            cfg["stopsignal"] = args
        else:
            raise BuildError(f"{path}: {keyword} in the final stage: build-images.sh builds the final stage itself "
                             f"and reads only FROM, COPY, ENV, LABEL, USER, WORKDIR, ENTRYPOINT, CMD, EXPOSE, STOPSIGNAL")
    return cfg


def _copy_entries(copy, context, artifacts):
    """The entries one COPY adds, following the builder's rules: a directory's contents go into DST."""
    if copy["from"]:
        key = f"{copy['from']}:{copy['src']}"
        if key not in artifacts:
            raise BuildError(f"COPY --from={copy['from']} {copy['src']}: build-images.sh has no artifact for it "
                             f"(known: {', '.join(sorted(artifacts)) or 'none'})")
        src = artifacts[key]
    else:
        src = os.path.join(context, copy["src"])
    if not os.path.lexists(src):
        raise BuildError(f"COPY {copy['src']}: {src} does not exist")
    dst = copy["dst"].strip("/")
    out = []
    st = os.lstat(src)
    if stat.S_ISDIR(st.st_mode):
        for dirpath, dirnames, filenames in os.walk(src):
            dirnames.sort()
            for name in dirnames + sorted(filenames):
                full = os.path.join(dirpath, name)
                fst = os.lstat(full)
                rel = os.path.join(dst, os.path.relpath(full, src))
                out.append(Entry(rel, full, fst, copy["uid"], copy["gid"], _normalised_mode(fst)))
    else:
        target = os.path.join(dst, os.path.basename(src)) if copy["dst"].endswith("/") else dst
        out.append(Entry(target, src, st, copy["uid"], copy["gid"], _normalised_mode(st)))
    return out


def _parent_dirs(entries):
    """Directory entries (root-owned 0755) for every parent the COPYs did not add themselves."""
    have = {e.path for e in entries}
    dir_st = os.lstat("/")
    out = []
    for e in entries:
        parent = os.path.dirname(e.path)
        while parent and parent not in have:
            have.add(parent)
            out.append(Entry(parent, "/", dir_st, 0, 0, 0o755))
            parent = os.path.dirname(parent)
    return out


# ------------------------------------------------------------------------------------------------- blobs, archive

def _json_bytes(obj):
    return json.dumps(obj, sort_keys=True, separators=(",", ":")).encode()


def _descriptor(media_type, data=None, digest=None, size=None, annotations=None):
    if data is not None:
        digest, size = "sha256:" + hashlib.sha256(data).hexdigest(), len(data)
    d = {"mediaType": media_type, "digest": digest, "size": size}
    if annotations:
        d["annotations"] = annotations
    return d


def _tar_bytes(tar, name, data, epoch, mode=0o644):
    info = tarfile.TarInfo(name)
    info.size, info.mtime, info.mode, info.uname, info.gname = len(data), epoch, mode, "", ""
    tar.addfile(info, io.BytesIO(data))


def write_archive(out_path, blobs, index, epoch):
    """An OCI image layout as one tar (what `ctr images import`, `podman load` and `docker load` read)."""
    tmp = out_path + ".tmp"
    with tarfile.open(tmp, "w", format=tarfile.PAX_FORMAT) as tar:
        for d in ("blobs", "blobs/sha256"):
            info = tarfile.TarInfo(d)
            info.type, info.mode, info.mtime, info.uname, info.gname = tarfile.DIRTYPE, 0o755, epoch, "", ""
            tar.addfile(info)
        for digest in sorted(blobs):
            name = "blobs/sha256/" + digest.split(":", 1)[1]
            source = blobs[digest]
            if isinstance(source, bytes):
                _tar_bytes(tar, name, source, epoch)
            else:
                info = tarfile.TarInfo(name)
                info.size, info.mtime, info.mode, info.uname, info.gname = os.path.getsize(source), epoch, 0o644, "", ""
                with open(source, "rb") as f:
                    tar.addfile(info, f)
        _tar_bytes(tar, "index.json", _json_bytes(index), epoch)
        _tar_bytes(tar, "oci-layout", _json_bytes({"imageLayoutVersion": "1.0.0"}), epoch)
    os.replace(tmp, out_path)


def _iso(epoch):
    return datetime.datetime.fromtimestamp(epoch, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def build_image(args):
    cfg = final_stage_config(args.containerfile)
    artifacts = dict(a.split("=", 1) for a in args.artifact)
    layers, diff_ids, history, blobs = [], [], [], {}
    env = []
    if cfg["base"] == "jre":
        if not args.base_layer:
            raise BuildError(f"{args.containerfile} starts from the JRE base: pass --base-layer")
        with open(args.base_layer, encoding="utf-8") as f:
            base = json.load(f)
        blob = os.path.join(os.path.dirname(args.base_layer), "layer.tar.gz")
        layers.append(_descriptor(MEDIA_LAYER, digest=base["digest"], size=base["size"]))
        diff_ids.append(base["diffId"])
        blobs[base["digest"]] = blob
        history.append({"created": _iso(base["epoch"]), "created_by": base["createdBy"],
                        "comment": "the JVM images' shared base layer, packages in images/base/packages.lock"})
        env.append(DEFAULT_PATH)
    entries = []
    for copy in cfg["copies"]:
        entries.extend(_copy_entries(copy, args.context, artifacts))
    by_path = {}
    for e in entries:  # a later COPY of the same path wins, as in a build
        by_path[e.path] = e
    workdir = cfg["workdir"].strip("/")
    if workdir and workdir not in by_path:  # WORKDIR creates its directory, as in a build
        by_path[workdir] = Entry(workdir, "/", os.lstat("/"), 0, 0, 0o755)
    entries = list(by_path.values())
    entries.extend(_parent_dirs(entries))
    with tempfile.TemporaryDirectory(dir=os.path.dirname(os.path.abspath(args.out))) as tmp:
        layer_path = os.path.join(tmp, "layer.tar.gz")
        digest, diff_id, size = write_layer(entries, args.epoch, layer_path)
        layers.append(_descriptor(MEDIA_LAYER, digest=digest, size=size))
        diff_ids.append(diff_id)
        blobs[digest] = layer_path
        copies = "; ".join(f"COPY {'--from=' + c['from'] + ' ' if c['from'] else ''}{c['src']} {c['dst']}"
                           for c in cfg["copies"])
        history.append({"created": _iso(args.epoch), "created_by": copies + " (hack/build-images.sh)"})

        env.extend(cfg["env"])
        labels = dict(cfg["labels"])
        labels.update({
            "org.opencontainers.image.created": _iso(args.epoch),
            "org.opencontainers.image.revision": args.revision,
            "org.opencontainers.image.source": args.source,
            "org.opencontainers.image.version": args.version,
        })
        container = {"Labels": labels}
        if env:
            container["Env"] = env
        for key, value in (("User", cfg["user"]), ("WorkingDir", cfg["workdir"]), ("Entrypoint", cfg["entrypoint"]),
                           ("Cmd", cfg["cmd"]), ("StopSignal", cfg["stopsignal"])):
            if value:
                container[key] = value
        if cfg["exposed"]:
            container["ExposedPorts"] = {p: {} for p in cfg["exposed"]}
        config = {"architecture": "amd64", "os": "linux", "created": _iso(args.epoch), "config": container,
                  "rootfs": {"type": "layers", "diff_ids": diff_ids}, "history": history}
        config_bytes = _json_bytes(config)
        config_desc = _descriptor(MEDIA_CONFIG, data=config_bytes)
        blobs[config_desc["digest"]] = config_bytes
        annotations = {k: v for k, v in labels.items() if k.startswith("org.opencontainers.image.")}
        manifest = {"schemaVersion": 2, "mediaType": MEDIA_MANIFEST, "config": config_desc, "layers": layers,
                    "annotations": annotations}
        manifest_bytes = _json_bytes(manifest)
        tag = args.ref.rsplit(":", 1)[1]
        manifest_desc = _descriptor(MEDIA_MANIFEST, data=manifest_bytes, annotations={
            "io.containerd.image.name": args.ref,
            "org.opencontainers.image.ref.name": tag,
        })
        manifest_desc["platform"] = {"architecture": "amd64", "os": "linux"}
        blobs[manifest_desc["digest"]] = manifest_bytes
        index = {"schemaVersion": 2, "mediaType": "application/vnd.oci.image.index.v1+json",
                 "manifests": [manifest_desc]}
        write_archive(args.out, blobs, index, args.epoch)
    result = {"name": args.name, "reference": args.ref, "archive": os.path.basename(args.out),
              "manifestDigest": manifest_desc["digest"], "configDigest": config_desc["digest"],
              "bytes": os.path.getsize(args.out), "layers": [l["digest"] for l in layers]}
    if args.list:
        update_list(args.list, result)
    print(json.dumps(result, sort_keys=True))


def update_list(path, result):
    """images.tsv: one row per image; rows of images not rebuilt stay while their archive exists."""
    rows = {}
    if os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            for line in f:
                if line.startswith("#") or not line.strip():
                    continue
                cols = line.rstrip("\n").split("\t")
                if os.path.exists(os.path.join(os.path.dirname(path), cols[2])):
                    rows[cols[0]] = cols
    rows[result["name"]] = [result["name"], result["reference"], result["archive"], result["manifestDigest"],
                            result["configDigest"], str(result["bytes"])]
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8") as f:
        f.write(LIST_HEADER + "\n")
        for name in sorted(rows):
            f.write("\t".join(rows[name]) + "\n")
    os.replace(tmp, path)


# ------------------------------------------------------------------------------------------- base layer and lock

def read_lock(path):
    """(settings, packages) of packages.lock: KEY=value settings in upper case, package=version lines."""
    settings, packages = {}, {}
    if not os.path.exists(path):
        return settings, packages
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            key, _, value = line.partition("=")
            (settings if key.isupper() else packages)[key] = value
    return settings, packages


def read_packages(path):
    with open(path, encoding="utf-8") as f:
        return dict(line.strip().split("=", 1) for line in f if line.strip())


def write_lock(path, epoch, digest, packages):
    with open(path + ".tmp", "w", encoding="utf-8") as f:
        f.write("# The packages of the JVM images' base layer (Debian bookworm minbase + openjdk-17-jre-headless), as\n"
                "# built by hack/build-images.sh. Rewritten by `hack/build-images.sh --update-lock`; docs/images.md says\n"
                "# what happens when Debian moves on. SOURCE_DATE_EPOCH: the base layer's file times (when the lock\n"
                "# last changed); BASE_LAYER_DIGEST: the layer those packages gave.\n")
        f.write(f"SOURCE_DATE_EPOCH={epoch}\nBASE_LAYER_DIGEST={digest}\n")
        for name in sorted(packages):
            f.write(f"{name}={packages[name]}\n")
    os.replace(path + ".tmp", path)


def _drift(locked, built):
    lines = []
    for name in sorted(set(locked) | set(built)):
        old, new = locked.get(name), built.get(name)
        if old != new:
            lines.append(f"    {name}: {old or '(absent)'} -> {new or '(absent)'}")
    return lines


def _warn(lines):
    bar = "!" * 100
    print("\n".join([bar] + ["!! " + l for l in lines] + [bar]), file=sys.stderr)


def base_layer(args):
    settings, locked = read_lock(args.lock)
    built = read_packages(args.packages)
    update = args.update_lock or not locked
    drift = _drift(locked, built)
    if drift and not update:
        text = ["WARNING: the base rootfs differs from images/base/packages.lock (Debian moved on, e.g. a security",
                "update). The images are built anyway, from these versions:"] + drift[:40]
        if len(drift) > 40:
            text.append(f"    ... and {len(drift) - 40} more")
        text += ["Take them: hack/build-images.sh --update-lock, then commit images/base/packages.lock.",
                 "Rebuild the locked ones instead: LIVEUPDATE_DEBIAN_MIRROR/LIVEUPDATE_DEBIAN_SECURITY_MIRROR at",
                 "snapshot.debian.org (docs/images.md). --strict-lock turns this warning into an error."]
        _warn(text)
        if args.strict_lock:
            raise BuildError("--strict-lock: the base packages differ from images/base/packages.lock")
    if update:
        # The epoch moves only when the packages do, so an --update-lock with nothing new changes nothing.
        epoch = int(settings["SOURCE_DATE_EPOCH"]) if locked and not drift else int(time.time())
    else:
        epoch = int(settings["SOURCE_DATE_EPOCH"])
    with open(__file__, "rb") as f:
        writer = hashlib.sha256(f.read()).hexdigest()
    key = hashlib.sha256(f"{args.rootfs_key}\n{epoch}\n{writer}".encode()).hexdigest()[:16]
    layer_dir = os.path.join(args.cache, f"base-layer-{key}")
    meta_path = os.path.join(layer_dir, "layer.json")
    if not os.path.exists(meta_path):
        print(f"oci: writing the base layer ({layer_dir})", file=sys.stderr)
        tmp = layer_dir + f".tmp{os.getpid()}"
        shutil.rmtree(tmp, ignore_errors=True)
        os.makedirs(tmp)
        digest, diff_id, size = write_layer(rootfs_entries(args.rootfs), epoch, os.path.join(tmp, "layer.tar.gz"))
        meta = {"digest": digest, "diffId": diff_id, "size": size, "epoch": epoch, "createdBy": args.created_by,
                "packages": built}
        with open(os.path.join(tmp, "layer.json"), "w", encoding="utf-8") as f:
            json.dump(meta, f, sort_keys=True, indent=1)
        shutil.rmtree(layer_dir, ignore_errors=True)
        os.replace(tmp, layer_dir)
    with open(meta_path, encoding="utf-8") as f:
        meta = json.load(f)
    if update:
        write_lock(args.lock, epoch, meta["digest"], built)
        print(f"oci: wrote {args.lock} ({len(built)} packages, base layer {meta['digest']})", file=sys.stderr)
    elif not drift and settings.get("BASE_LAYER_DIGEST") not in (None, meta["digest"]):
        _warn(["WARNING: the base layer has the locked packages but not the locked digest:",
               f"    locked {settings.get('BASE_LAYER_DIGEST')}, built {meta['digest']}.",
               "A file in the rootfs differs from build to build: a gap in hack/images/build-base.sh's normalisation",
               "(diff two rootfs builds to find it, docs/images.md)."])
    print(meta_path)


# ------------------------------------------------------------------------------------------------------ main

def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)

    b = sub.add_parser("base-layer", help="the shared base layer of a rootfs, checked against the lock")
    b.add_argument("--rootfs", required=True)
    b.add_argument("--packages", required=True, help="package=version lines of the rootfs")
    b.add_argument("--rootfs-key", required=True, help="the rootfs' cache key (its build inputs)")
    b.add_argument("--lock", required=True)
    b.add_argument("--cache", required=True)
    b.add_argument("--created-by", required=True)
    b.add_argument("--update-lock", action="store_true")
    b.add_argument("--strict-lock", action="store_true")
    b.set_defaults(run=base_layer)

    i = sub.add_parser("image", help="one OCI archive from a Containerfile's final stage")
    i.add_argument("--name", required=True)
    i.add_argument("--containerfile", required=True)
    i.add_argument("--context", required=True)
    i.add_argument("--base-layer", help="layer.json of the base layer (for FROM the JRE stage)")
    i.add_argument("--artifact", action="append", default=[], help="STAGE:PATH=HOSTPATH for COPY --from")
    i.add_argument("--ref", required=True)
    i.add_argument("--version", required=True)
    i.add_argument("--revision", required=True)
    i.add_argument("--source", required=True)
    i.add_argument("--epoch", type=int, required=True)
    i.add_argument("--out", required=True)
    i.add_argument("--list", help="images.tsv to add the image to")
    i.set_defaults(run=build_image)

    c = sub.add_parser("config", help="print what the final stage of a Containerfile says")
    c.add_argument("containerfile")
    c.set_defaults(run=lambda a: print(json.dumps(final_stage_config(a.containerfile), indent=1)))

    args = parser.parse_args()
    try:
        args.run(args)
    except BuildError as e:
        print(f"oci: error: {e}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
