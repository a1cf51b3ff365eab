"""50-boot-persistence: boot enable, reboot, VFs ready before guests, back after resets, no trace."""
import json

CONFIGURED_MAC = "02:00:00:00:00:50"

def check(folder):
    failures = []
    read = lambda n: (folder / n).read_text().strip() if (folder / n).exists() else ""
    if read("enable.code") != "0":
        failures.append(f"boot enable exited {read('enable.code')}: {read('enable.err')}")
    if read("verify.code") != "0" or read("verify.err"):
        failures.append(f"systemd-analyze verify complained: {read('verify.err')[-600:]}")
    try:
        saw = json.loads(read("guests-saw-boot2.json"))
        pf = next(p for p in saw["pfs"] if p["pci"] == "0000:01:00.0")
        vfs = {vf["index"]: vf for vf in pf["vfs"]}
        if pf["numVfs"] != 3:
            failures.append(f"when guests started there were {pf['numVfs']} VFs, the config has 3")
        if vfs.get(0, {}).get("mac") != CONFIGURED_MAC or vfs.get(0, {}).get("vlan") != 50 or vfs.get(0, {}).get("driver") != "vfio-pci":
            failures.append(f"when guests started VF 0 was {vfs.get(0)}")
        if vfs.get(1, {}).get("trust") is not True:
            failures.append("when guests started VF 1 was not trusted")
        if any(vf["mac"] == "00:00:00:00:00:00" for vf in vfs.values()):
            failures.append("a VF had the all-zero MAC when guests started")
    except (StopIteration, json.JSONDecodeError, KeyError) as e:
        failures.append(f"no usable record of what guests saw at boot 2: {e}: {read('guests-saw-boot2.json')[:300]}")
    # /etc/pve empty (pve-cluster not yet running): the boot made the VFs and said it left the guest.
    if "not mounted yet" not in read("journal.txt"):
        failures.append("the boot apply did not say it left VM 100's assignment for when /etc/pve is mounted")
    # Boot: seconds from the PF's probe to the boot apply's verification (printed, not asserted).
    probe = next((float(l.split("]")[0].strip("[ ")) for l in read("dmesg-boot2.txt").splitlines() if "igb 0000:01:00.0:" in l), None)
    verified = next((float(l.split("]")[0].strip("[ ")) for l in read("journal.txt").splitlines() if "Verified" in l), None)
    if probe is not None and verified is not None:
        print(f"     boot: VFs ready (verified) {verified - probe:.2f} s after the PF's probe ({probe:.2f} s -> {verified:.2f} s, guest time)")
    else:
        print(f"     boot: no timing (PF probe {probe}, verified {verified})")
    # What came before: systemd's start, the units the boot unit waits for, its own start and
    # first step; and the binary's warm start, for the cold start's share (printed, not asserted).
    times = {}
    for line in read("unit-times.txt").splitlines():
        if line.startswith("UserspaceTimestampMonotonic="):
            times["systemd"] = int(line.split("=")[1] or 0) / 1e6
        elif len(line.split()) == 3 and line.split()[1].isdigit():
            unit, active, started = line.split()
            times[unit] = (int(active) / 1e6, int(started) / 1e6)
    first = next((float(l.split("]")[0].strip("[ ")) for l in read("journal.txt").splitlines() if "sriovctl[" in l), None)
    if times:
        parts = [f"systemd {times.get('systemd', 0):.2f}"]
        parts += [f"{u.split('.')[0]} done {v[0]:.2f}" for u, v in times.items() if u != "systemd" and u != "sriovctl.service"]
        if "sriovctl.service" in times:
            parts.append(f"sriovctl.service started {times['sriovctl.service'][1]:.2f}")
        if first is not None:
            parts.append(f"its first line {first:.2f}")
        print("     boot chain (s, guest time): " + ", ".join(parts))
    # The boot apply's own stamps (SRIOVCTL_STEP_TIMES, ms since the process started): its
    # start-up apart from the journal's lag.
    import re
    stamps = [(l, re.search(r"\[\+(\d+) ms\]$", l)) for l in read("journal.txt").splitlines() if "sriovctl[" in l]
    stamps = [(l, int(m.group(1))) for l, m in stamps if m]
    if stamps:
        # Each logged step: its words (after the process name) and when, in ms after the process started.
        steps = [(l.split("]: ", 1)[-1].rsplit(" [+", 1)[0][:60], ms) for l, ms in stamps]
        print("     boot apply's own clock (ms after the process started): " + "; ".join(f"{w} +{ms}" for w, ms in steps))
    for name, what in (("warm-version", "--version"), ("warm-plan", "status --json")):
        real = next((l.split()[1] for l in read(f"{name}.err").splitlines() if l.startswith("real")), "?")
        print(f"     warm `{what}`: {real}")
    for name, label in (("back-after-zero.txt", "echo 0 > sriov_numvfs"), ("back-after-reload.txt", "reloading igb")):
        value = read(name)
        if value == "timeout" or not value:
            failures.append(f"after {label} the VFs did not come back within 30 s")
        else:
            print(f"     VFs back {float(value):.2f} s after {label} (guest time)")
            if float(value) > 10:
                failures.append(f"after {label} the VFs took {value} s (more than 10)")
    if read("disable.code") != "0":
        failures.append(f"boot disable exited {read('disable.code')}: {read('disable.out')} {read('disable.err')}")
    if read("trace-after-disable.txt"):
        failures.append(f"boot disable left traces: {read('trace-after-disable.txt')}")
    if read("watch-active-after-disable.txt") == "active":
        failures.append("the watcher still runs after boot disable")
    # The metrics service under systemd's hardening, across the reboot.
    if read("serve-enable.code") != "0":
        failures.append(f"serve enable exited {read('serve-enable.code')}: {read('serve-enable.err')}")
    page = read("metrics-boot2.http")
    if read("metrics-boot2.code") != "0" or not page.startswith("HTTP/1.0 200"):
        failures.append(f"sriovctl-metrics.service did not serve /metrics at boot 2: {page[:300]}")
    else:
        if page.count("sriovctl_vf_info{") != 3:
            failures.append("/metrics at boot 2 does not list the 3 VFs")
        if 'sriovctl_last_apply_success{trigger="boot"} 1' not in page:
            failures.append("/metrics does not report the boot apply's success (trigger=boot)")
        if "sriovctl_config_drift_changes 0" not in page:
            failures.append("/metrics reports drift right after the boot apply")
        if "sriovctl_host_read_success 1" not in page:
            failures.append("the hardened service could not read the host (sysfs/netlink)")
    stop = dict(line.split("=", 1) for line in read("metrics-stop.txt").splitlines() if "=" in line)
    if stop.get("Result") != "success" or stop.get("ExecMainStatus") != "0":
        failures.append(f"stopping sriovctl-metrics.service (SIGTERM) was not a clean exit: {stop}")
    if "sriovctl-metrics.service: installed" not in read("serve-status.out"):
        failures.append(f"serve status: {read('serve-status.out')}")
    if read("serve-disable.code") != "0":
        failures.append(f"serve disable exited {read('serve-disable.code')}: {read('serve-disable.err')}")
    status = read("boot-status.out")
    if "sriovctl.service: installed" not in status or "enabled" not in status:
        failures.append(f"boot status did not report the unit installed and enabled: {status[:400]}")
    return failures
