"""58-take-over: a hand-made sriov.service taken over by sriovctl, and given back."""
import json

def drivers_of(text):
    pf = next(p for p in json.loads(text)["pfs"] if p["pci"] == "0000:01:00.0")
    return {vf["index"]: vf.get("driver") for vf in pf["vfs"]}

def vfs_of(text):
    pf = next(p for p in json.loads(text)["pfs"] if p["pci"] == "0000:01:00.0")
    return pf["numVfs"], {vf["index"]: vf["mac"] for vf in pf["vfs"]}

def check(folder):
    failures = []
    read = lambda n: (folder / n).read_text().strip() if (folder / n).exists() else ""
    try:
        boot1 = vfs_of(read("status-boot1.json"))
    except Exception as e:
        return [f"no status at boot 1: {e}: {read('status-boot1.json')[:300]}"]
    if boot1[0] != 4 or boot1[1].get(0) != "02:00:00:00:00:00":
        failures.append(f"the hand-made unit did not make 4 VFs with VF 0's MAC: {boot1} ({read('sriov-service-boot1.txt')})")
    written = read("written.toml")
    if read("init.code") != "0":
        failures.append(f"init exited {read('init.code')}: {read('init.err')[-400:]}")
    if 'num-vfs = 4' not in written or 'mac = "02:00:00:00:00:00"' not in written or 'mac = "keep"' not in written:
        failures.append(f"the written config does not pin what the unit set: {written[:800]}")
    if read("plan.code") != "0":
        failures.append(f"plan --detailed-exitcode on the written config exited {read('plan.code')}: {read('plan.out')[-400:]}")
    if "sriov.service" not in read("check.out") or "runs after sriovctl.service" not in read("check.out"):
        failures.append(f"check does not name sriov.service and who wins: {read('check.out')[-800:]}")
    if read("enable-refused.code") != "2" or "/etc/systemd/system/sriov.service:6" not in read("enable-refused.err"):
        failures.append(f"boot enable without --take-over: exit {read('enable-refused.code')}: {read('enable-refused.err')[-400:]}")
    if "sriovctl.service" in read("units-after-refusal.txt"):
        failures.append("the refused boot enable installed a unit")
    if read("take-over.code") != "0" or read("sriov-enabled-after-take-over.txt") != "disabled":
        failures.append(f"take-over: exit {read('take-over.code')}, sriov.service {read('sriov-enabled-after-take-over.txt')}: {read('take-over.err')[-400:]}")
    try:
        boot2 = vfs_of(read("status-boot2.json"))
        if boot2 != boot1:
            failures.append(f"after the reboot the VFs differ: {boot2} (before: {boot1})")
    except Exception as e:
        failures.append(f"no status at boot 2: {e}")
    if 'driver = "host"' not in read("booted.toml"):
        failures.append(f"VF 0 was not set to the host driver before the reboot: {read('booted.toml')[:600]}")
    try:
        if drivers_of(read("status-boot2.json")).get(0) != "igbvf":
            failures.append(f"at boot 2 VF 0 is not on igbvf (the re-probe path): {drivers_of(read('status-boot2.json'))}")
    except Exception as e:
        failures.append(f"no drivers at boot 2: {e}")
    if read("sriov-enabled-boot2.txt") != "disabled" or read("sriov-file-boot2.code") != "0":
        failures.append(f"at boot 2 sriov.service is {read('sriov-enabled-boot2.txt')}, file present code {read('sriov-file-boot2.code')}")
    if read("sriov-started-boot2.txt") not in ("0", ""):
        failures.append(f"sriov.service ran at boot 2 (started at {read('sriov-started-boot2.txt')})")
    unit = dict(l.split("=", 1) for l in read("sriovctl-service-boot2.txt").splitlines() if "=" in l)
    if unit.get("Result") != "success" or unit.get("ActiveState") != "active" or unit.get("ExecMainStatus") != "0":
        failures.append(f"sriovctl.service at boot 2 is not active and successful: {unit}: {read('sriovctl-journal-boot2.txt')[-400:]}")
    journal = read("sriovctl-journal-boot2.txt")
    if any(word in journal for word in ("Failed at:", "failed:", "later steps were not attempted")):
        failures.append(f"sriovctl.service's journal at boot 2 reports a failure: {journal[-600:]}")
    if read("restore.code") != "0" or read("sriov-enabled-after-restore.txt") != "enabled":
        failures.append(f"boot disable --restore: exit {read('restore.code')}, sriov.service {read('sriov-enabled-after-restore.txt')}: {read('restore.err')[-400:]}")
    return failures
