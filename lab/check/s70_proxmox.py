"""70-proxmox: assignment through (stand-in) qm, ownership in status, the running-VM guard."""
import json

def check(folder):
    failures = []
    read = lambda n: (folder / n).read_text().strip() if (folder / n).exists() else ""
    if read("apply1.code") != "0":
        failures.append(f"apply with vm = 100 exited {read('apply1.code')}: {read('apply1.err')[-500:]} {read('apply1.out')[-300:]}")
    calls = read("qm-calls-1.txt").splitlines()
    if calls != ["set 100 --hostpci1 host=0000:01:10.0,pcie=1", "set 101 --hostpci0 mapping=fw"]:
        failures.append(f"qm was called with {calls}, expected `set 100 --hostpci1 host=0000:01:10.0,pcie=1` (slot 0 is taken) "
                        "then `set 101 --hostpci0 mapping=fw`")
    first = json.loads(read("status-assigned.json"))["pfs"][0]["vfs"]
    vf1_group = first[1]["iommuGroup"]
    expected_map = f"id=8086:10ca,iommugroup={vf1_group},node=lab,path=0000:01:10.2"
    if read("pvesh-calls-1.txt").splitlines() != [f"create /cluster/mapping/pci --id fw --map {expected_map}"]:
        failures.append(f"pvesh was called with {read('pvesh-calls-1.txt').splitlines()}, expected the create of fw with {expected_map}")
    if f"map {expected_map}" not in read("mapping-1.cfg") or "hostpci0: mapping=fw" not in read("vm101-after.conf"):
        failures.append(f"mapping or VM 101 not as expected: {read('mapping-1.cfg')!r} / {read('vm101-after.conf')!r}")
    recreated = json.loads(read("status-recreated.json"))["pfs"][0]["vfs"]
    new_map = f"id=8086:10ca,iommugroup={recreated[1]['iommuGroup']},node=lab,path=0000:01:10.2"
    if read("apply-recreate.code") != "0" or read("pvesh-calls-2.txt").splitlines()[-1:] != [f"set /cluster/mapping/pci/fw --map {new_map}"]:
        failures.append(f"after re-creating the VFs the mapping was not refreshed: {read('pvesh-calls-2.txt').splitlines()} "
                        f"(VF 1 now in group {recreated[1]['iommuGroup']}, was {vf1_group}); {read('apply-recreate.err')[-300:]}")
    if f"map {new_map}" not in read("mapping-2.cfg"):
        failures.append(f"pci.cfg after refresh: {read('mapping-2.cfg')!r}")
    if recreated[1]["vm"] != 101:
        failures.append(f"status does not show VF 1 in VM 101's pool: {recreated[1]['vm']}")
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
    if f"{assigned['mac']} self" in read("fdb-after-hook.txt"):
        failures.append(f"the hookscript put VF 0's own MAC in the PF's forwarding table: {read('fdb-after-hook.txt')[:300]}")
    if read("hook-old-flag.code") != "2" or "sync-bridge-fdb = true" not in read("hook-old-flag.err"):
        failures.append(f"--bridge-fdb is not refused with the new key's name: {read('hook-old-flag.code')} {read('hook-old-flag.err')[-300:]}")
    if read("hook-stop.code") != "0":
        failures.append(f"the hookscript at post-stop failed: {read('hook-stop.err')[-300:]}")
    if read("assign.code") != "0" or "hostpci2: host=0000:01:10.2" not in read("vm100-assigned.conf"):
        failures.append(f"sriovctl assign did not give VF 1 to VM 100 as hostpci2: {read('assign.out')} {read('assign.err')} / {read('vm100-assigned.conf')}")
    running, _ = vf0("status-running.json")
    if running["vmRunning"] is not True:
        failures.append("status does not see VM 100 running")
    if read("apply3.code") != "1" or "VM 100 is running with it (hostpci1)" not in read("apply3.err"):
        failures.append(f"removing the VF of a running VM was not refused by name: {read('apply3.code')} {read('apply3.err')[-400:]}")
    if read("numvfs-after-refusal.txt") != "3":
        failures.append("the VFs changed although apply refused")
    # top's VM column is the same ownership as status's.
    running = {vf["index"]: vf["vm"] for vf in json.loads(read("status-running.json"))["pfs"][0]["vfs"]}
    try:
        top = {vf["index"]: vf["vm"] for vf in json.loads(read("top-owners.json"))["vfs"]}
    except json.JSONDecodeError:
        top = {}
        failures.append(f"top --once --json failed on the Proxmox host: {read('top-owners.err')[-300:]}")
    if top and (top != running or 100 not in top.values()):
        failures.append(f"top names other guests than status: top {top}, status {running}")
    return failures
