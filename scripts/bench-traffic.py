#!/usr/bin/env python3
"""The cost of watching 256 VFs every second (printed, never asserted), on the simulated E810
(examples/e810-2port.json: 256 VFs on ens1f0, counters advancing):

  1. `sriovctl serve`, scraped once a second: CPU time over wall time, peak and final RSS,
     and the scrape duration it reports itself.
  2. `sriovctl top --interval 1` drawing in a real terminal (tmux): CPU and RSS.

Targets (issue 7): under 1% of one core, server RSS under 30 MB.
    scripts/bench-traffic.py [SECONDS] [BINARY]   (defaults: 30, .build/release/sriovctl)
"""
import os, pathlib, re, shutil, subprocess, sys, tempfile, time, urllib.request

top = pathlib.Path(__file__).resolve().parent.parent
seconds = int(sys.argv[1]) if len(sys.argv) > 1 else 30
binary = sys.argv[2] if len(sys.argv) > 2 else str(top / ".build/release/sriovctl")
example = str(top / "examples/e810-2port.json")
ticks = os.sysconf("SC_CLK_TCK")

def cpu_seconds(pid):
    fields = pathlib.Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / ticks  # utime + stime

def memory(pid):
    status = pathlib.Path(f"/proc/{pid}/status").read_text()
    get = lambda key: int(re.search(rf"^{key}:\s+(\d+) kB", status, re.M).group(1)) / 1024
    return get("VmHWM"), get("VmRSS")

def report(what, pid, cpu0, wall0, samples):
    cpu, wall = cpu_seconds(pid) - cpu0, time.monotonic() - wall0
    peak, now = memory(pid)
    print(f"{what}: {samples} samples of 256 VFs in {wall:.1f} s: CPU {cpu:.2f} s = {100 * cpu / wall:.2f}% of one core; "
          f"RSS peak {peak:.1f} MB, now {now:.1f} MB")

with tempfile.TemporaryDirectory() as tmp:
    state = ["--simulate", example, "--simulate-state", f"{tmp}/state"]
    server = subprocess.Popen([binary, "serve", "--listen", "127.0.0.1:0", *state], stdout=subprocess.PIPE, text=True)
    try:
        url = re.search(r"http://\S+", server.stdout.readline()).group(0)
        urllib.request.urlopen(url).read()  # warm: first load of the description
        cpu0, wall0 = cpu_seconds(server.pid), time.monotonic()
        durations = []
        for i in range(seconds):
            page = urllib.request.urlopen(url).read().decode()
            durations.append(float(re.search(r"^sriovctl_scrape_duration_seconds (\S+)$", page, re.M).group(1)))
            time.sleep(max(0, wall0 + i + 1 - time.monotonic()))
        report("serve, scraped every second", server.pid, cpu0, wall0, seconds)
        durations.sort()
        print(f"serve: scrape duration median {1000 * durations[len(durations) // 2]:.1f} ms, "
              f"max {1000 * durations[-1]:.1f} ms; page {len(page)} bytes, "
              f"{sum(1 for l in page.splitlines() if l.startswith('sriovctl_vf_rx_bytes_total'))} VFs with counters")
    finally:
        server.terminate()
        server.wait()

    tmux = shutil.which("tmux")
    if not tmux:
        print("top: skipped (tmux is not installed)")
        sys.exit(0)
    sock = f"sriovctl-bench-{os.getpid()}"
    command = " ".join([binary, "top", "--interval", "1", *state])
    subprocess.run([tmux, "-L", sock, "-f", "/dev/null", "new-session", "-d", "-x", "160", "-y", "50",
                    f"TERM=xterm-256color {command}"], check=True)
    try:
        time.sleep(2)
        pid = int(subprocess.run(["pgrep", "-f", f"^{re.escape(binary)} top --interval 1"],
                                 capture_output=True, text=True).stdout.split()[0])
        cpu0, wall0 = cpu_seconds(pid), time.monotonic()
        time.sleep(seconds)
        report("top --interval 1 in a 160x50 terminal", pid, cpu0, wall0, seconds)
    finally:
        subprocess.run([tmux, "-L", sock, "kill-server"])
