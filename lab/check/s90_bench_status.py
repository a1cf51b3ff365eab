"""90-bench-status: prints the 20-run wall times; fails only if the scenario produced none."""
import pathlib

def check(folder):
    bench = folder / "bench.txt"
    if not bench.exists():
        return ["no bench.txt"]
    figures = dict(line.split("=", 1) for line in bench.read_text().split())
    s, sh = int(figures["sriovctl_ms"]), int(figures["shell_ms"])
    print(f"     bench: 20 x sriovctl status --json = {s} ms, 20 x ip -j -d link show + sysfs reads = {sh} ms "
          f"({figures['vfs']} VFs; ratio sriovctl/shell = {s / max(sh, 1):.2f})")
    return []
