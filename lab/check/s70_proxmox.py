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
    if read("hook-install.code") != "0" or "hookscript: local:snippets/sriovctl-hook.sh" not in read("vm100-hooked.conf"):
        failures.append(f"hookscript install: {read('hook-install.code')} {read('hook-install.out')} {read('hook-install.err')}")
    tampered, _ = vf0("status-tampered.json")
    restored, _ = vf0("status-after-hook.json")
    if tampered["mac"] != "02:66:66:66:66:66" or restored["mac"] != assigned["mac"] or read("hook-run.code") != "0":
        failures.append(f"the hookscript did not put the MAC back: {assigned['mac']} -> {tampered['mac']} -> {restored['mac']} ({read('hook-run.err')[-300:]})")
    if read("assign.code") != "0" or "hostpci2: host=0000:01:10.2" not in read("vm100-assigned.conf"):
        failures.append(f"sriovctl assign did not give VF 1 to VM 100 as hostpci2: {read('assign.out')} {read('assign.err')} / {read('vm100-assigned.conf')}")
    running, _ = vf0("status-running.json")
    if running["vmRunning"] is not True:
        failures.append("status does not see VM 100 running")
    if read("apply3.code") != "1" or "VM 100 is running with it (hostpci1)" not in read("apply3.err"):
        failures.append(f"removing the VF of a running VM was not refused by name: {read('apply3.code')} {read('apply3.err')[-400:]}")
    if read("numvfs-after-refusal.txt") != "2":
        failures.append("the VFs changed although apply refused")
    return failures
