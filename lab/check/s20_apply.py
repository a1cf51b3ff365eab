"""20-apply: sriovctl apply on the real igb, judged by iproute2 and sysfs."""
import json, pathlib, sys
sys.path.insert(0, str(pathlib.Path(__file__).parent))
from witness import compare_status

def check(folder):
    failures = []
    def read(name):
        path = folder / name
        return path.read_text().strip() if path.exists() else ""
    def code(name, want, why):
        got = read(f"{name}.code")
        if got != str(want):
            failures.append(f"{name} exited {got!r}, expected {want} ({why}); stderr: {read(name + '.err')[-600:]}")

    code("plan1", 3, "changes pending")
    code("apply1", 0, "apply succeeds")
    code("plan2", 0, "nothing left to do after apply")
    code("apply2", 0, "a second apply succeeds")
    if "Nothing to change" not in read("apply2.out"):
        failures.append(f"second apply changed something: {read('apply2.out')}")
    code("apply3", 0, "4 -> 6 VFs")
    code("apply4", 0, "vfio-pci back to the host driver")
    code("apply5", 2, "plan refuses link state on igb before anything changes")
    for n in ("1", "3", "4", "5"):
        status = json.loads(read(f"status-{n}.json"))
        failures += [f"snapshot {n}: {f}" for f in compare_status(status, folder / f"ip-{n}.json", folder / f"sysfs-{n}.txt")]
    plan = json.loads(read("plan1-json.out"))
    steps = plan["steps"]
    actions = [s["action"] for s in steps]
    # VFs for vfio-pci are made with autoprobe off (first step) and it is put back after their
    # bindings; the host's own VFs are bound after that.
    probe_steps = [i for i, a in enumerate(actions) if a == "set-autoprobe"]
    if len(probe_steps) != 2 or probe_steps[0] != 0 or any(a != "bind-driver" for a in actions[probe_steps[1] + 1:]):
        failures.append(f"plan {actions}: autoprobe off first, back on after the vfio-pci bindings, host drivers last")
    rest = [a for a in actions if a != "set-autoprobe"]
    order = {"set-num-vfs": 0, "set-vf": 1, "bind-driver": 2, "reprobe": 2}
    if rest[:1] != ["set-num-vfs"] or "set-vf" not in rest or "bind-driver" not in rest \
            or [order[a] for a in rest] != sorted(order[a] for a in rest):
        failures.append(f"plan order is {actions}: count, then settings, then drivers")

    s1 = {vf["index"]: vf for vf in json.loads(read("status-1.json"))["pfs"][0]["vfs"]}
    s3 = {vf["index"]: vf for vf in json.loads(read("status-3.json"))["pfs"][0]["vfs"]}
    s4 = {vf["index"]: vf for vf in json.loads(read("status-4.json"))["pfs"][0]["vfs"]}
    want = [(0, "mac", "02:00:00:00:00:10"), (0, "vlan", 100), (0, "qos", 3), (0, "spoofCheck", False),
            (0, "trust", True), (0, "driver", "vfio-pci"), (1, "vlan", 200), (2, "trust", True), (2, "spoofCheck", False),
            (3, "vlan", 0)]
    for index, key, value in want:
        if s1.get(index, {}).get(key) != value:
            failures.append(f"after apply VF {index} {key} = {s1.get(index, {}).get(key)!r}, config says {value!r}")
    if len(s1) != 4 or len(s3) != 6:
        failures.append(f"VF counts {len(s1)} and {len(s3)}, expected 4 and 6")
    macs = [vf["mac"] for vf in s3.values()]
    if len(set(macs)) != len(macs) or "00:00:00:00:00:00" in macs:
        failures.append(f"MACs not unique and set: {macs}")
    for i in (1, 2, 3):
        mac = s1[i]["mac"]
        if int(mac.split(":")[0], 16) & 0x03 != 0x02:
            failures.append(f"auto MAC {mac} is not locally administered unicast")
        if s3[i]["mac"] != mac:
            failures.append(f"auto MAC of VF {i} changed across the re-creation: {mac} -> {s3[i]['mac']}")
    if read("vf1-netdev-mac.txt") != s1[1]["mac"]:
        failures.append(f"VF 1's igbvf netdev has {read('vf1-netdev-mac.txt')!r}, the PF says {s1[1]['mac']!r}")
    if s4[0]["driver"] != "igbvf" or s4[0]["netdev"] is None:
        failures.append(f"VF 0 did not go back to igbvf: {s4[0]['driver']}")
    err5 = read("apply5.err") + read("apply5.out")
    if 'link-state = "disable" for VF 3' not in err5 or "EOPNOTSUPP" not in err5 or "nothing was changed" not in err5:
        failures.append(f"the refused link state is not named by VF, field and errno: {err5[-500:]}")
    s5 = {vf["index"]: vf for vf in json.loads(read("status-5.json"))["pfs"][0]["vfs"]}
    # igb has no ndo_set_vf_rss_query_en and reports none: the kernel's -1 is null, never false.
    if any(vf.get("rssQuery", "absent") is not None for vf in s5.values()):
        failures.append(f"status reports rssQuery for igb VFs: {[vf.get('rssQuery', 'absent') for vf in s5.values()]}")
    if s5 != s4:
        failures.append("the refused apply changed the host")
    # The profile against the kernel: plan's errno for each refused setting is the kernel's.
    strerror = {"EOPNOTSUPP": "Operation not supported", "EINVAL": "Invalid argument",
                "EPROTONOSUPPORT": "Protocol not supported", "EPERM": "Operation not permitted"}
    import re
    facts = ["link-state", "min-tx-rate", "vlan-protocol", "rss-query"]
    if int(read("totalvfs.txt") or 0) > 7:  # past igb's own cap only when the device offers more
        facts.append("num-vfs")
    for fact in facts:
        plan_err = read(f"fact-{fact}-plan.err")
        found = re.search(r"\((E[A-Z]+)[;)]", plan_err)
        if read(f"fact-{fact}-plan.code") != "2" or not found:
            failures.append(f"plan did not refuse {fact} with an errno: {read(f'fact-{fact}-plan.code')} {plan_err[-400:]}")
            continue
        errno = found.group(1)
        kernel = read(f"fact-{fact}-kernel.err")
        if read(f"fact-{fact}-kernel.code") == "0" or strerror.get(errno, errno) not in kernel:
            failures.append(f"{fact}: the profile says {errno}, the kernel said {read(f'fact-{fact}-kernel.code')}: {kernel[-300:]}")
    if read("fact-trust-kernel.code") != "0":
        failures.append(f"igb refused trust, which the profile says it takes: {read('fact-trust-kernel.err')}")
    # probe on the real igb: the answers plan's profile has, and nothing left changed.
    code("probe", 0, "probe restores every value it touched")
    try:
        probe = json.loads(read("probe.out"))
        answers = probe["answers"]
        for name, want in (("link-state-disable", "EOPNOTSUPP"), ("min-tx-rate", "EINVAL"),
                           ("vlan-protocol-802.1ad", "EPROTONOSUPPORT"), ("trust", "ok"), ("spoof-check", "ok"),
                           ("vlan", "ok"), ("qos", "ok"), ("rss-query", "EOPNOTSUPP")):
            if answers.get(name) != want:
                failures.append(f"probe {name}: {answers.get(name)!r}, the 82576's driver answers {want}")
        vfinfo = lambda n: [l.get("vfinfo_list") for l in json.loads(read(n)) if l.get("ifname") == probe["pf"]]
        if vfinfo("probe-before.json") != vfinfo("probe-after.json"):
            failures.append("ip -d link shows the VFs changed by the probe")
        record = json.loads(read("probe-record.json") or "{}")
        if not any(e.get("driver") == "igb" and e.get("answers") == answers for e in record.get("entries", [])):
            failures.append(f"capabilities.json does not hold the probe's answers: {read('probe-record.json')[:400]}")
    except Exception as e:
        failures.append(f"probe output unreadable: {e}: {read('probe.out')[:300]} {read('probe.err')[-300:]}")
    checks = json.loads(read("check.json") or "{}").get("checks", [])
    driver = [c for c in checks if c["id"].startswith("driver-profile:")]
    if not driver or "igb (82576)" not in driver[0]["evidence"]:
        failures.append(f"check does not describe the emulated 82576 as igb (82576): {driver}")
    return failures
