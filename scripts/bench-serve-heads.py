#!/usr/bin/env python3
"""`sriovctl serve` against 900 clients that each send most of a large request head and never
finish it (figures printed, never asserted): how many connections the server keeps, its RSS, and
whether a real scrape is still answered. The server runs with `ulimit -n 1024`, as its unit does,
on the simulated i350, listening on 127.0.0.1 only.

    scripts/bench-serve-heads.py [BINARY] [HEAD-BYTES]   (defaults: .build/release/sriovctl, 14400)
"""
import os, resource, socket, subprocess, sys, tempfile, time

top = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
binary = sys.argv[1] if len(sys.argv) > 1 else os.path.join(top, ".build/release/sriovctl")
size = int(sys.argv[2]) if len(sys.argv) > 2 else 14400
port = 19808
state = tempfile.mkdtemp(prefix="sriovctl-heads-")
server = subprocess.Popen(
    [binary, "serve", "--listen", f"127.0.0.1:{port}", "--simulate", os.path.join(top, "examples/i350-t4-homelab.json"),
     "--simulate-state", os.path.join(state, "state")],
    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    preexec_fn=lambda: resource.setrlimit(resource.RLIMIT_NOFILE, (1024, 1024)))
try:
    time.sleep(1.5)
    head = ("GET /metrics HTTP/1.1\r\n" + "X-A: b\r\n" * (size // 8)).encode()
    clients = []
    for _ in range(900):
        try:
            s = socket.create_connection(("127.0.0.1", port), timeout=2)
            s.sendall(head)
            clients.append(s)
        except OSError:
            pass
    time.sleep(2)
    kept = 0
    for s in clients:
        s.setblocking(False)
        try:
            kept += s.recv(1) != b""
        except BlockingIOError:
            kept += 1
        except OSError:
            pass
    status = {k: v.strip() for k, v in (l.split(":", 1) for l in open(f"/proc/{server.pid}/status")) if k in ("VmRSS", "VmHWM")}
    scrape = socket.create_connection(("127.0.0.1", port), timeout=5)
    scrape.sendall(b"GET /metrics HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    answer = scrape.recv(15)
    print(f"heads of {len(head)} bytes: {len(clients)} clients connected, {kept} kept by the server")
    print(f"server RSS {status['VmRSS']}, peak {status['VmHWM']}; a scrape meanwhile: {answer.decode(errors='replace')!r}")
finally:
    server.terminate()
    server.wait()
