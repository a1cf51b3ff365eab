"""60-host-prepare: check names the fix, host prepare really prepares, the prepared boot passes."""
import json

def check(folder):
    failures = []
    read = lambda n: (folder / n).read_text().strip() if (folder / n).exists() else ""
    try:
        c1 = json.loads(read("check1.out"))
        iommu = next(c for c in c1["checks"] if c["id"] == "iommu")
        if read("check1.code") != "1" or iommu["state"] != "fail":
            failures.append(f"without a vIOMMU, check exited {read('check1.code')} with iommu {iommu['state']}")
        if "intel_iommu=on" not in (iommu["fix"] or "") or "VT-d" not in (iommu["fix"] or ""):
            failures.append(f"the IOMMU fix does not name VT-d and intel_iommu=on: {iommu['fix']}")
    except (json.JSONDecodeError, StopIteration, KeyError) as e:
        failures.append(f"check1 output unusable: {e}: {read('check1.out')[:300]}")
    if "+GRUB_CMDLINE_LINUX_DEFAULT=" not in read("dry-run.out") or "sriovctl.cfg" in read("after-dry-run.txt"):
        failures.append(f"the dry run did not show the diff, or wrote files: {read('dry-run.out')[:400]} / {read('after-dry-run.txt')}")
    if read("prepare1.code") != "0":
        failures.append(f"host prepare exited {read('prepare1.code')}: {read('prepare1.out')[-600:]} {read('prepare1.err')[-300:]}")
    for command in ("ran update-grub", "ran update-initramfs -u -k all"):
        if command not in read("prepare1.out"):
            failures.append(f"host prepare did not report {command!r}")
    if "Nothing to do" not in read("prepare2.out"):
        failures.append(f"a second host prepare was not idempotent: {read('prepare2.out')[:400]}")
    line = read("grub-linux-line.txt")
    if "intel_iommu=on" not in line or "iommu=pt" not in line:
        failures.append(f"grub.cfg's linux line lacks the flags: {line}")
    vfio = read("initramfs-vfio.txt")
    for module in ("vfio.ko", "vfio_iommu_type1.ko", "vfio-pci.ko"):
        if module not in vfio:
            failures.append(f"lsinitramfs does not list {module}: {vfio}")
    if "intel_iommu=on" not in read("cmdline2.txt"):
        failures.append(f"boot 2 did not get the prepared command line: {read('cmdline2.txt')}")
    if "vfio_pci" not in read("lsmod2.txt"):
        failures.append(f"vfio_pci was not loaded at boot 2: {read('lsmod2.txt')}")
    try:
        c2 = json.loads(read("check2.out"))
        bad = [c for c in c2["checks"] if c["state"] == "fail"]
        if read("check2.code") != "0" or bad:
            failures.append(f"the prepared host does not pass check: {bad}")
        states = {c["id"]: c["state"] for c in c2["checks"]}
        for id in ("iommu", "iommu-firmware", "interrupt-remapping", "kernel-cmdline", "vfio-modules", "sriov-devices"):
            if states.get(id) != "ok":
                failures.append(f"after preparing, {id} is {states.get(id)}")
    except json.JSONDecodeError as e:
        failures.append(f"check2 output unusable: {e}: {read('check2.out')[:300]}")
    if read("undo.code") != "0" or "sriovctl" in read("after-undo.txt") or read("initramfs-modules-after-undo.txt") != "0":
        failures.append(f"undo did not restore: {read('undo.out')[-400:]} / {read('after-undo.txt')} / {read('initramfs-modules-after-undo.txt')}")
    return failures
