"""95-bench-apply: prints apply vs hand-written script figures; fails only without figures."""

def check(folder):
    bench = folder / "bench.txt"
    if not bench.exists():
        return ["no bench.txt"]
    f = dict(line.split("=", 1) for line in bench.read_text().split())
    a, s = int(f["sriovctl_ms"]), int(f["script_ms"])
    print(f"     bench: apply of a full 7-VF config = {a} ms ({f['sriovctl_requests']} netlink requests, "
          f"including both observations and the verification), hand script = {s} ms "
          f"({f['script_ip_commands']} ip commands, each at least one RTM_SETLINK; not counted); ratio {a / max(s, 1):.2f}")
    return []
