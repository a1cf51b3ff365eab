#!/usr/bin/env python3
"""`sriovctl serve` under hostile clients (figures printed, never asserted; issue 12's targets in
brackets): the server is started as its unit starts it, with `ulimit -n 1024`, on the simulated
i350; then 1,100 connections trickle a request a byte every 5 s while a real scrape is made
every 2 s, in three phases:
  hold       25 s: a connection the server cuts off stays closed (the server keeps what fits)
  slowloris  SECONDS: a connection cut off is opened again at its next 5 s tick
  flood      10 s: a connection cut off is opened again at once; no server makes that free,
             a firewall rule can

  - scrape latency, median and max, and scrapes that failed          [every scrape < 2 s]
  - the server's CPU over wall time while trickled                    [< 5% of one core]
  - the server's RSS, peak and at the end                             [< 64 MB]
  - how often the trickling clients were cut off (deadline, cap)
  - the exit status after SIGTERM with half-sent requests open        [0]

    scripts/bench-serve-hostile.py [SECONDS] [BINARY]   (defaults: 40, .build/release/sriovctl)
"""
import os, pathlib, re, resource, selectors, socket, subprocess, sys, tempfile, time

top = pathlib.Path(__file__).resolve().parent.parent
seconds = int(sys.argv[1]) if len(sys.argv) > 1 else 40
binary = sys.argv[2] if len(sys.argv) > 2 else str(top / ".build/release/sriovctl")
example = str(top / "examples/i350-t4-homelab.json")
clients = int(os.environ.get("CLIENTS", "1100"))
ticks = os.sysconf("SC_CLK_TCK")
request = b"GET /metrics HTTP/1.1\r\nHost: localhost\r\nUser-Agent: trickle\r\n\r\n"

sys.stdout.reconfigure(line_buffering=True)
soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 8192), hard))  # this client needs > 1,100

def cpu_seconds(pid):
    fields = pathlib.Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / ticks

def memory(pid):
    status = pathlib.Path(f"/proc/{pid}/status").read_text()
    get = lambda key: int(re.search(rf"^{key}:\s+(\d+) kB", status, re.M).group(1)) / 1024
    return get("VmHWM"), get("VmRSS")

def open_files(pid):
    return len(os.listdir(f"/proc/{pid}/fd"))

def scrape(port):
    started = time.monotonic()
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
            s.sendall(b"GET /metrics HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
            data = b""
            while chunk := s.recv(65536):
                data += chunk
        ok = data.startswith(b"HTTP/1.1 200") and b"sriovctl_pf_vfs" in data
    except OSError:
        ok = False
    return ok, time.monotonic() - started

class Trickler:
    def __init__(self, port, sel):
        self.port, self.sel = port, sel
        self.sock, self.sent, self.cut = None, 0, 0

    def connect(self):
        s = socket.socket()
        s.setblocking(False)
        s.connect_ex(("127.0.0.1", self.port))
        self.sock, self.sent = s, 0
        self.sel.register(s, selectors.EVENT_READ, self)

    def drop(self):
        self.sel.unregister(self.sock)
        self.sock.close()
        self.sock = None

    def readable(self):
        try:
            data = self.sock.recv(4096)
        except OSError:
            data = b""
        if not data:  # the server closed it: back at the next tick, at once in a flood, or never
            self.cut += 1
            self.drop()
            if policy == "flood":
                self.connect()

    def tick(self):
        if self.sock is None:
            if policy == "slowloris":
                self.connect()
            return
        try:
            self.sock.send(request[self.sent % (len(request) - 4):][:1])
            self.sent += 1
        except OSError:
            self.cut += 1
            self.drop()

policy = "hold"
with tempfile.TemporaryDirectory() as tmp:
    def limit():
        resource.setrlimit(resource.RLIMIT_NOFILE, (1024, 1024))  # as the unit's LimitNOFILE
    server = subprocess.Popen(
        [binary, "serve", "--listen", "127.0.0.1:0", "--simulate", example, "--simulate-state", f"{tmp}/state"],
        stdout=subprocess.PIPE, text=True, preexec_fn=limit)
    try:
        port = int(re.search(r":(\d+)/metrics", server.stdout.readline()).group(1))
        scrape(port)  # warm: the description is read once
        sel = selectors.DefaultSelector()
        tricklers = [Trickler(port, sel) for _ in range(clients)]
        for t in tricklers:
            t.connect()
        print(f"{clients} trickling connections opened against a server limited to 1024 descriptors")
        peak_fds = 0
        started = time.monotonic()
        done_ticks = 0

        def phase(name, length, warmup):
            global policy, done_ticks, peak_fds
            policy = name
            begin = time.monotonic()
            cut0 = sum(t.cut for t in tricklers)
            if name != "hold":
                for t in tricklers:
                    if t.sock is None:
                        t.connect()
            cpu0 = wall0 = None
            latencies, failed = [], 0
            next_scrape = begin + 2
            while (now := time.monotonic()) < begin + length:
                # Each connection sends one byte every 5 s, spread over the 5 s.
                tick = int((now - started) * 100)
                while done_ticks < tick:
                    done_ticks += 1
                    for i in range(done_ticks % 500, clients, 500):
                        tricklers[i].tick()
                for key, _ in sel.select(timeout=0.01):
                    key.data.readable()
                if cpu0 is None and now - begin >= warmup:
                    cpu0, wall0 = cpu_seconds(server.pid), now
                if now >= next_scrape:
                    ok, took = scrape(port)
                    latencies.append(took)
                    failed += 0 if ok else 1
                    next_scrape = now + 2
                    peak_fds = max(peak_fds, open_files(server.pid))
            cpu, wall = cpu_seconds(server.pid) - cpu0, time.monotonic() - wall0
            held = sum(1 for t in tricklers if t.sock is not None)
            latencies.sort()
            print(f"{name}: {len(latencies)} scrapes, {failed} failed, latency median {1000 * latencies[len(latencies) // 2]:.1f} ms, "
                  f"max {1000 * latencies[-1]:.1f} ms; server CPU {cpu:.2f} s in {wall:.1f} s = {100 * cpu / wall:.2f}% of one core; "
                  f"{sum(t.cut for t in tricklers) - cut0} connections cut off; {held} open at the end")

        phase("hold", 25, 3)
        phase("slowloris", seconds, 5)
        phase("flood", 10, 0)
        peak, rss = memory(server.pid)
        print(f"server RSS: peak {peak:.1f} MB, now {rss:.1f} MB; open descriptors at most {peak_fds} of 1024")
        # The stop: half-sent requests are open now.
        server.terminate()
        try:
            code = server.wait(timeout=15)
            print(f"SIGTERM with half-sent requests open: exit status {code}")
        except subprocess.TimeoutExpired:
            print("SIGTERM with half-sent requests open: still running after 15 s")
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
