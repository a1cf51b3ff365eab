"""70-proxmox: assignment through (stand-in) qm, mappings Proxmox's own checks accept, pools from
the reservations file, lines left alone, [PENDING] edits, chained hookscripts, the running-VM guard."""
import json


def sysfs(text):
    """vf-sysfs-N.txt: per VF address, what PVE::Mapping::PCI::assert_valid expects of its entry."""
    out = {}
    for line in text.splitlines():
        addr, vendor, device, sv, sd, group = line.split()
        out[addr] = {"id": f"{vendor[2:]}:{device[2:]}", "iommugroup": group,
                     "subsystem-id": None if "-" in (sv, sd) else f"{sv[2:]}:{sd[2:]}"}
    return out


def map_entries(cfg, mapping):
    entries, current = [], None
    for line in cfg.splitlines():
        if line and not line[0].isspace():
            current = line.strip()
        elif current == mapping and line.strip().startswith("map "):
            entries.append(dict(p.split("=", 1) for p in line.strip()[4:].split(",")))
    return entries


def assert_valid(entry, devices):
    """Proxmox's assert_valid for one map entry (first path; the lab maps single functions)."""
    want = devices.get(entry.get("path"))
    if want is None:
        return f"pci device '{entry.get('path')}' not found"
    for prop in ("id", "iommugroup", "subsystem-id"):
        if want[prop] is not None and prop not in entry:
            return f"missing expected property '{prop}' for device '{entry['path']}'"
        if want[prop] is None and prop in entry:
            return f"unexpected property '{prop}' configured for device '{entry['path']}'"
        if want[prop] is not None and want[prop] != entry[prop]:
            return f"'{prop}' does not match ({want[prop]} != {entry[prop]})"
    return None


def check(folder):
    failures = []
    read = lambda n: (folder / n).read_text().strip() if (folder / n).exists() else ""
    if read("apply1.code") != "0":
        failures.append(f"apply with vm = 100 exited {read('apply1.code')}: {read('apply1.err')[-500:]} {read('apply1.out')[-300:]}")
    calls = read("qm-calls-1.txt").splitlines()
    if calls != ["set 100 --hostpci1 host=0000:01:10.0,pcie=1", "set 101 --hostpci0 mapping=fw"]:
        failures.append(f"qm was called with {calls}, expected `set 100 --hostpci1 host=0000:01:10.0,pcie=1` (slot 0 is taken) "
                        "then `set 101 --hostpci0 mapping=fw`")
    # The mapping: one entry per pool member, each accepted by Proxmox's assert_valid against sysfs.
    for cfg, devices_file, when in (("mapping-1.cfg", "vf-sysfs-1.txt", "created"), ("mapping-2.cfg", "vf-sysfs-2.txt", "refreshed")):
        devices = sysfs(read(devices_file))
        entries = map_entries(read(cfg), "fw")
        if sorted(e.get("path") for e in entries) != ["0000:01:10.2", "0000:01:10.4"]:
            failures.append(f"mapping fw ({when}) has entries {entries}, not VFs 1 and 2")
        for entry in entries:
            if entry.get("node") != "lab" or assert_valid(entry, devices):
                failures.append(f"Proxmox would refuse mapping fw ({when}): {assert_valid(entry, devices)} in {entry} (sysfs {devices})")
    if len(read("pvesh-calls-1.txt").splitlines()) != 1 or not read("pvesh-calls-1.txt").startswith("create /cluster/mapping/pci --id fw --map "):
        failures.append(f"pvesh was called with {read('pvesh-calls-1.txt').splitlines()}, expected one create of fw")
    if read("pvesh-bad.code") == "0" or "id: property is missing" not in read("pvesh-bad.err") or read("mapping-after-bad.cfg") != read("mapping-1.cfg"):
        failures.append(f"the stand-in pvesh accepted a map without id=: {read('pvesh-bad.code')} {read('pvesh-bad.err')}")
    if "hostpci0: mapping=fw" not in read("vm101-after.conf"):
        failures.append(f"VM 101 not as expected: {read('vm101-after.conf')!r}")
    recreated = json.loads(read("status-recreated.json"))["pfs"][0]["vfs"]
    first = json.loads(read("status-assigned.json"))["pfs"][0]["vfs"]
    if read("apply-recreate.code") != "0" or not read("pvesh-calls-2.txt").splitlines()[-1].startswith("set /cluster/mapping/pci/fw --map"):
        failures.append(f"after re-creating the VFs the mapping was not refreshed: {read('pvesh-calls-2.txt').splitlines()} "
                        f"(VF 1 now in group {recreated[1]['iommuGroup']}, was {first[1]['iommuGroup']}); {read('apply-recreate.err')[-300:]}")
    if "hostpci1: host=0000:01:10.0,pcie=1" not in read("vm100-after.conf") or "hostpci0: 0000:81:00.0" not in read("vm100-after.conf"):
        failures.append(f"VM 100's config is {read('vm100-after.conf')!r}")
    steps = [s["action"] for s in json.loads(read("plan1.out"))["steps"]]
    if steps[-1:] != ["assign-to-vm"]:
        failures.append(f"assignment is not the last step: {steps}")
    no_key = [s["action"] for s in json.loads(read("plan-no-pcie-key.out") or '{"steps": []}')["steps"]]
    if read("plan-no-pcie-key.code") != "0" or any(a in ("assign-to-vm", "edit-vm-device") for a in no_key):
        failures.append(f"`vm = 100` without pcie on a line with pcie=1 planned {no_key} ({read('plan-no-pcie-key.err')[-200:]})")

    def vf0(name):
        status = json.loads(read(name))
        return status["pfs"][0]["vfs"][0], status.get("conflicts")
    assigned, conflicts = vf0("status-assigned.json")
    # VM 100's hostpci0 names 0000:81:00.0, which the lab guest does not have: Proxmox refuses its start.
    refused = [c for c in conflicts or [] if c.startswith("VM 100: Proxmox will refuse to start it: no PCI device found for '0000:81:00.0'")]
    if (assigned["vm"], assigned["vmRunning"], assigned["driver"]) != (100, False, "vfio-pci") or len(refused) != 1 or len(conflicts) != 1:
        failures.append(f"status after assignment: vm={assigned['vm']} running={assigned['vmRunning']} driver={assigned['driver']} conflicts={conflicts}")
    if read("qm-calls-2.txt") != read("qm-calls-1.txt") or read("apply2.code") != "0":
        failures.append("a second apply called qm again")
    # Pools: who holds which member, from the reservations; a free member names who may take it.
    held = json.loads(read("status-pool-running.json"))["pfs"][0]["vfs"]
    if [(v["vm"], v["vmRunning"], v["pool"]) for v in held[1:3]] != [(102, True, "fw"), (101, True, "fw")]:
        failures.append(f"pool members while VMs 101 and 102 run: {[(v['vm'], v['vmRunning'], v['pool']) for v in held[1:3]]}")
    free = json.loads(read("status-pool-stopped.json"))["pfs"][0]["vfs"]
    if (free[1]["vm"], free[1]["poolCandidates"], free[2]["vm"]) != (None, [101, 102], 101):
        failures.append(f"after VM 102 stopped: VF 1 {free[1]['vm']} {free[1]['poolCandidates']}, VF 2 {free[2]['vm']}")
    if "102 (running) pool fw" not in read("status-pool-running.txt"):
        failures.append(f"status text does not show the pool holder: {read('status-pool-running.txt')[-600:]}")
    # Hookscripts.
    if read("hook-install.code") != "0" or "hookscript: local:snippets/sriovctl-hook.sh" not in read("vm100-hooked.conf"):
        failures.append(f"hookscript install: {read('hook-install.code')} {read('hook-install.out')} {read('hook-install.err')}")
    if "hookscript: local:snippets/sriovctl-hook.sh" not in read("vm101-hooked.conf") or "keeps its own hookscript" not in read("hook-install.out"):
        failures.append(f"VM 101's own hookscript was not chained: {read('vm101-hooked.conf')!r} {read('hook-install.out')}")
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
    if read("hook-run-101.code") != "0" or read("own-hook-1.log").splitlines() != ["own 101 pre-start"]:
        failures.append(f"VM 101's own hookscript did not run first: {read('hook-run-101.code')} {read('own-hook-1.log')!r} {read('hook-run-101.err')[-300:]}")
    if read("hook-without.code") != "0" or "were not re-asserted" not in read("hook-without.err"):
        failures.append(f"without sriovctl the hookscript stopped the start: {read('hook-without.code')} {read('hook-without.err')[-300:]}")
    if "hookscript: local:snippets/own-hook.sh" not in read("vm101-unhooked.conf") or read("hook-remove-101.code") != "0":
        failures.append(f"hookscript remove --vm 101 did not give its own back: {read('vm101-unhooked.conf')!r} {read('hook-remove-101.err')}")
    if "hookscript: local:snippets/sriovctl-hook.sh" not in read("vm100-still-hooked.conf"):
        failures.append("hookscript remove --vm 101 detached VM 100 too")
    if read("assign.code") != "0" or "hostpci2: host=0000:01:10.6" not in read("vm100-assigned.conf"):
        failures.append(f"sriovctl assign did not give VF 3 to VM 100 as hostpci2: {read('assign.out')} {read('assign.err')} / {read('vm100-assigned.conf')}")
    running, _ = vf0("status-running.json")
    if running["vmRunning"] is not True:
        failures.append("status does not see VM 100 running")
    # [PENDING]: the edit keeps the line otherwise, waits for the next start, and is verified there.
    if "~ VM 100 hostpci1 pcie 1 -> 0" not in read("plan-pcie-off.out") or "next start" not in read("plan-pcie-off.out"):
        failures.append(f"the pcie change is not planned as an edit for the next start: {read('plan-pcie-off.out')[-500:]}")
    pending = read("vm100-pending.conf")
    main, _, pend = pending.partition("[PENDING]")
    if read("apply-pcie-off.code") != "0" or "hostpci1: host=0000:01:10.0,pcie=1" not in main or "hostpci1: host=0000:01:10.0" not in pend.splitlines():
        failures.append(f"apply of the pcie change to running VM 100: {read('apply-pcie-off.code')} {read('apply-pcie-off.err')[-300:]} / {pending!r}")
    if read("plan-after-pending.code") != "0":
        failures.append(f"a plan after the pending change is not empty: {read('plan-after-pending.out')[-400:]}")
    if read("apply3.code") != "1" or "VM 100 is running with it (hostpci1)" not in read("apply3.err"):
        failures.append(f"removing the VF of a running VM was not refused by name: {read('apply3.code')} {read('apply3.err')[-400:]}")
    if read("numvfs-after-refusal.txt") != "4":
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
    # apply --drain against the stand-in qm on the real kernel.
    if read("drain-setup.code") != "0":
        failures.append(f"drain setup apply exited {read('drain-setup.code')}: {read('drain-setup.err')[-400:]}")
    try:
        plan = json.loads(read("drain-plan.out"))
        counts = [s for s in plan["steps"] if s.get("action") == "set-num-vfs"]
        if not any("VM 100" in g for g in plan.get("affectedGuests", [])) or not counts or counts[0].get("disruption") != "vfs-recreated":
            failures.append(f"the plan does not name VM 100 as disturbed: {plan.get('affectedGuests')} {counts[:1]}")
    except Exception as e:
        failures.append(f"drain plan unreadable: {e}: {read('drain-plan.err')[-300:]}")
    if read("drain-refused.code") != "1" or "apply --drain" not in read("drain-refused.err"):
        failures.append(f"apply without --drain: exit {read('drain-refused.code')}: {read('drain-refused.err')[-300:]}")
    if read("drain.code") != "0" or read("drain-numvfs.txt") != "3":
        failures.append(f"apply --drain: exit {read('drain.code')}, {read('drain-numvfs.txt')} VFs: {read('drain.err')[-500:]}")
    calls = [l for l in read("drain-qm-calls.txt").splitlines() if l.split()[:1] in (["shutdown"], ["start"])]
    if calls != ["shutdown 100 --timeout 20", "start 100"]:
        failures.append(f"the drain's qm calls: {calls}")
    if read("drain-vm100.txt") != "running" or read("drain-vm100-vfio.txt") in ("", "0"):
        failures.append(f"VM 100 is not running with its VF's VFIO group after the drain: {read('drain-vm100.txt')!r} {read('drain-vm100-vfio.txt')!r}")
    if read("drain-stuck.code") != "1" or "did not shut down" not in read("drain-stuck.err") or read("drain-stuck-numvfs.txt") != "3" \
            or read("drain-stuck-vm100.txt") != "running":
        failures.append(f"a guest that ignores shutdown: exit {read('drain-stuck.code')}, {read('drain-stuck-numvfs.txt')} VFs, "
                        f"{read('drain-stuck-vm100.txt')!r}: {read('drain-stuck.err')[-400:]}")
    return failures
