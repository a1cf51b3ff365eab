"""10-status-manual: VFs configured by hand; `sriovctl status --json` must equal iproute2 and sysfs."""
import json, pathlib, sys
sys.path.insert(0, str(pathlib.Path(__file__).parent))
from witness import compare_status

def read(folder, name):
    return (folder / name).read_text().strip()

def check(folder):
    failures = []
    if read(folder, "status-json.code") != "0":
        return [f"status --json exited {read(folder, 'status-json.code')}"]
    status = json.loads(read(folder, "status.json"))
    failures += compare_status(status, folder / "ip-link.json", folder / "sysfs.txt")
    # What the scenario set by hand must be what status reports (the kernel took it).
    pf = status["pfs"][0]
    vfs = {vf["index"]: vf for vf in pf["vfs"]}
    expected = [(0, "mac", "02:00:00:00:00:01"), (0, "driver", "vfio-pci"), (0, "netdev", None),
                (1, "vlan", 100), (1, "qos", 3), (1, "spoofCheck", False), (2, "trust", True),
                (3, "mac", "02:00:00:00:00:04")]
    for index, key, value in expected:
        if vfs.get(index, {}).get(key) != value:
            failures.append(f"vf{index}.{key} is {vfs.get(index, {}).get(key)!r}, the scenario set {value!r}")
    if read(folder, "status-text.code") != "0" or "02:00:00:00:00:01" not in read(folder, "status.txt"):
        failures.append("the status table did not show vf0's MAC")
    one = json.loads(read(folder, "status-one.json"))
    if len(one["pfs"]) != 1:
        failures.append(f"status PF --json listed {len(one['pfs'])} PFs")
    if read(folder, "status-unknown.code") != "2" or "nosuchpf0" not in read(folder, "status-unknown.err"):
        failures.append(f"an unknown PF exited {read(folder, 'status-unknown.code')}: {read(folder, 'status-unknown.err')}")
    if read(folder, "status-badroot.code") != "2":
        failures.append(f"a missing --root exited {read(folder, 'status-badroot.code')}")
    return failures
