"""A workload process for the agent's socket tests: joins a cgroup first (so it is "in a pod"), then talks to the
agent socket with the real protocol (4-byte big-endian length + JSON, fds with SCM_RIGHTS) and prints one JSON line per
step. Usage: workload_peer.py <socket> <cgroup.procs file or -> <steps as JSON list>
Steps: {"op":"preserve","session":..,"token":..,"content":..} (a new memfd with that content), {"op":"preserve-file",
"path":..,"unlink":bool} (any file), {"op":"retrieve"|"unpreserve",...}, {"op":"status"}, {"op":"connections","n":k}
(k more connections, each asks status, kept open), {"op":"wait-stdin"} (blocks until stdin closes)."""
import json
import os
import socket
import struct
import sys


def frame(obj):
    body = json.dumps(obj).encode()
    return struct.pack(">I", len(body)) + body


def read_reply(s):
    data, fds, _, _ = socket.recv_fds(s, 70000, 4)
    if len(data) == 0:
        return None, fds
    while len(data) < 4 or len(data) < 4 + struct.unpack(">I", data[:4])[0]:
        more = s.recv(70000)
        if not more:
            break
        data += more
    return json.loads(data[4:4 + struct.unpack(">I", data[:4])[0]]), fds


def ask(s, request, fds=()):
    try:
        if fds:
            socket.send_fds(s, [frame(request)], list(fds))
        else:
            s.sendall(frame(request))
    except (BrokenPipeError, ConnectionResetError):
        pass  # refused at once: the reply is already in our receive queue
    try:
        return read_reply(s)
    except ConnectionResetError:
        return None, []


def connect(path):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect(path)
    return s


def summary(reply, fds):
    if reply is None:
        return {"ok": False, "code": "NO_REPLY"}
    out = {"ok": reply.get("ok", False)}
    if not out["ok"]:
        out["code"] = reply["error"]["code"]
        out["message"] = reply["error"]["message"]
    if "files" in reply:
        out["files"] = [[f["session"], f["token"], f["state"]] for f in reply["files"]]
    if "peer" in reply:
        out["owner"] = reply["peer"]["owner"]
    if fds:
        fd = fds[0]
        out["content"] = os.pread(fd, os.fstat(fd).st_size, 0).decode()
        for f in fds:
            os.close(f)
    return out


def main():
    path, procs, steps = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
    if procs != "-":
        with open(procs, "w") as f:
            f.write(str(os.getpid()))
    held = []
    s = connect(path)
    for step in steps:
        op = step["op"]
        if op == "preserve":
            fd = os.memfd_create("vm-ram")
            os.write(fd, step["content"].encode())
            result = summary(*ask(s, {"v": 1, "op": "preserve", "session": step["session"], "token": step["token"]}, [fd]))
            os.close(fd)
        elif op == "preserve-file":
            fd = os.open(step["path"], os.O_RDWR | os.O_CREAT, 0o600)
            if step.get("unlink"):
                os.unlink(step["path"])
            result = summary(*ask(s, {"v": 1, "op": "preserve", "session": step["session"], "token": step["token"]}, [fd]))
            os.close(fd)
        elif op in ("retrieve", "unpreserve"):
            result = summary(*ask(s, {"v": 1, "op": op, "session": step["session"], "token": step["token"]}))
        elif op == "status":
            result = summary(*ask(s, {"v": 1, "op": "status"}))
        elif op == "connections":
            codes = []
            for _ in range(step["n"]):
                c = connect(path)
                held.append(c)
                r = summary(*ask(c, {"v": 1, "op": "status"}))
                codes.append("ok" if r["ok"] else r["code"])
            result = {"ok": True, "codes": codes}
        elif op == "wait-stdin":
            sys.stdin.read()
            result = {"ok": True}
        else:
            result = {"ok": False, "code": "TEST_BUG", "message": "unknown step " + op}
        print(json.dumps(result), flush=True)
    for c in held:
        c.close()
    s.close()


main()
