"""95-bench-apply: prints apply vs hand-written script figures (settings, and vfio-pci with MACs);
fails without figures, when a VF sriovctl binds to vfio-pci was ever probed by igbvf (the kernel
log), or when the vfio apply leaves autoprobe off or a VF on another driver."""
import json

def check(folder):
    bench = folder / "bench.txt"
    if not bench.exists():
        return ["no bench.txt"]
    f = dict(line.split("=", 1) for line in bench.read_text().split())
    a, s = int(f["sriovctl_ms"]), int(f["script_ms"])
    print(f"     bench: apply of a full 7-VF config = {a} ms ({f['sriovctl_requests']} netlink requests, "
          f"including both observations and the verification), hand script = {s} ms "
          f"({f['script_ip_commands']} ip commands, each at least one RTM_SETLINK; not counted); ratio {a / max(s, 1):.2f}")
    failures = []
    if "vfio_sriovctl_ms" not in f:
        return ["no vfio-pci figures"]
    va, vs = int(f["vfio_sriovctl_ms"]), int(f["vfio_script_ms"])
    print(f"     bench: 7 VFs to vfio-pci with MACs: apply = {va} ms, by hand (make, MAC, override, unbind, probe) = {vs} ms; "
          f"ratio {va / max(vs, 1):.2f}; igbvf kernel-log lines: sriovctl {f['vfio_sriovctl_igbvf_lines']}, by hand {f['vfio_script_igbvf_lines']}")
    import re
    stamped = [l for l in (folder / "apply-vfio-times.err").read_text().splitlines() if re.search(r"\[\+\d+ ms\]$", l)] \
        if (folder / "apply-vfio-times.err").exists() else []
    if stamped:
        print("     where the vfio apply's time goes (ms since sriovctl started, one untimed run):")
        for line in stamped:
            print("       " + line.replace("sriovctl: ", "")[-150:])
    if f["vfio_sriovctl_igbvf_lines"] != "0":
        failures.append(f"igbvf probed VFs sriovctl made for vfio-pci ({f['vfio_sriovctl_igbvf_lines']} kernel-log lines over 3 rounds)")
    if f["vfio_script_igbvf_lines"] == "0":
        failures.append("the witness saw no igbvf line for the hand-made VFs either: the kernel-log check proves nothing")
    read = lambda n: (folder / n).read_text().strip() if (folder / n).exists() else ""
    if read("autoprobe-after-apply.txt") != "1":
        failures.append(f"sriov_drivers_autoprobe after apply: {read('autoprobe-after-apply.txt')!r}, not 1")
    if read("drivers-after-apply.txt").split() != ["7", "vfio-pci"]:
        failures.append(f"drivers after the vfio apply: {read('drivers-after-apply.txt')!r}")
    return failures
