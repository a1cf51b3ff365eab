#!/usr/bin/env python3
"""Start-up cost (printed, never asserted): the CPU time (user + system, from the kernel's rusage)
of `sriovctl --version` and of `sriovctl --root Tests/Fixtures/lab-igb-4vfs status --json`, each
against `ip -j -d link show` on this machine, run in alternation (paired) so that the machine's
load moves both alike. Medians of ROUNDS pairs.

  scripts/bench-startup.py [BINARY] [ROUNDS]     (default: .build-static/release/sriovctl, 200)
"""
import os, statistics, subprocess, sys

binary = sys.argv[1] if len(sys.argv) > 1 else ".build-static/release/sriovctl"
rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 200
root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "Fixtures", "lab-igb-4vfs")

def cpu_ms(argv):
    pid = os.posix_spawnp(argv[0], argv, os.environ, file_actions=[(os.POSIX_SPAWN_OPEN, 1, "/dev/null", os.O_WRONLY, 0)])
    _, status, usage = os.wait4(pid, 0)
    if status != 0:
        sys.exit(f"{' '.join(argv)} exited {status}")
    return (usage.ru_utime + usage.ru_stime) * 1000

commands = {
    "sriovctl --version": [binary, "--version"],
    "sriovctl status --json (captured host)": [binary, "--root", root, "status", "--json"],
    "ip -j -d link show": ["ip", "-j", "-d", "link", "show"],
}
samples = {name: [] for name in commands}
for _ in range(rounds):
    for name, argv in commands.items():
        samples[name].append(cpu_ms(argv))
yardstick = statistics.median(samples["ip -j -d link show"])
print(f"start-up, CPU ms (median of {rounds} paired runs, {binary}):")
for name, values in samples.items():
    m = statistics.median(values)
    print(f"  {name:42} {m:6.2f} ms   {m / yardstick:5.2f}x ip")
