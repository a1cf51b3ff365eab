"""70-proxmox: assignment through (stand-in) qm, ownership in status, the running-VM guard."""
import json

def check(folder):
    failures = []
    read = lambda n: (folder / n).read_text().strip() if (folder / n).exists() else ""
    if read("apply1.code") != "0":
        failures.append(f"apply with vm = 100 exited {read('apply1.code')}: {read('apply1.err')[-500:]} {read('apply1.out')[-300:]}")
    calls = read("qm-calls-1.txt").splitlines()
    if calls != ["set 100 --hostpci1 host=0000:01:10.0,pcie=1"]:
        failures.append(f"qm was called with {calls}, expected exactly one `set 100 --hostpci1 host=0000:01:10.0,pcie=1` (slot 0 is taken)")
    if "hostpci1: host=0000:01:10.0,pcie=1" not in read("vm100-after.conf") or "hostpci0: 0000:81:00.0" not in read("vm100-after.conf"):
        failures.append(f"VM 100's config is {read('vm100-after.conf')!r}")
    steps = [s["action"] for s in json.loads(read("plan1.out"))["steps"]]
    if steps[-1:] != ["assign-to-vm"]:
        failures.append(f"assignment is not the last step: {steps}")
    def vf0(name):
        status = json.loads(read(name))
        return status["pfs"][0]["vfs"][0], status.get("conflicts")
    assigned, conflicts = vf0("status-assigned.json")
    # VM 100's hostpci0 names 0000:81:00.0, which the lab guest does not have: a conflict to report.
    expected = ["VM 100 hostpci0 names 0000:81:00.0, which is not on this host (a VF that no longer exists, or a removed card): the VM will not start"]
    if (assigned["vm"], assigned["vmRunning"], assigned["driver"]) != (100, False, "vfio-pci") or conflicts != expected:
        failures.append(f"status after assignment: vm={assigned['vm']} running={assigned['vmRunning']} driver={assigned['driver']} conflicts={conflicts}")
    if read("qm-calls-2.txt") != read("qm-calls-1.txt") or read("apply2.code") != "0":
        failures.append("a second apply called qm again")
    running, _ = vf0("status-running.json")
    if running["vmRunning"] is not True:
        failures.append("status does not see VM 100 running")
    if read("apply3.code") != "1" or "VM 100 is running with it (hostpci1)" not in read("apply3.err"):
        failures.append(f"removing the VF of a running VM was not refused by name: {read('apply3.code')} {read('apply3.err')[-400:]}")
    if read("numvfs-after-refusal.txt") != "2":
        failures.append("the VFs changed although apply refused")
    return failures
