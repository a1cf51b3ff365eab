"""80-traffic: per-VF traffic on the real igb, from top --once --json and serve's /metrics,
judged against iproute2's counters for the VF's netdev."""
import json, pathlib, re, shutil, subprocess

def check(folder):
    failures = []
    def read(name):
        path = folder / name
        return path.read_text().strip() if path.exists() else ""
    def stats(name):
        link = json.loads(read(name))[0]
        return link["stats64"]["rx"], link["stats64"]["tx"]

    if read("apply.code") != "0":
        failures.append(f"apply failed: {read('apply.err')[-400:]}")
    if read("ping.code") != "0":
        print(f"     note: ping to the gateway got no reply ({read('ping.out')[-200:]}); ARP still moves packets")
    if read("top.code") != "0":
        return failures + [f"top --once --json exited {read('top.code')}: {read('top.err')[-400:]}"]
    top = json.loads(read("top.json") or read("top.out"))
    vfs = {vf["index"]: vf for vf in top["vfs"]}
    netdev = read("vf1-netdev.txt")
    vf0, vf1 = vfs.get(0), vfs.get(1)
    if vf0 is None or vf1 is None:
        return failures + [f"top does not list VFs 0 and 1: {top}"]
    # VF 0 on vfio-pci: igb has nothing to say about it.
    if vf0["counterSource"] is not None or vf0["rxBitsPerSecond"] is not None or vf0["txBitsPerSecond"] is not None:
        failures.append(f"VF 0 (vfio-pci on igb) shows numbers: {vf0}")
    if "igb has no per-VF counters" not in (vf0["note"] or ""):
        failures.append(f"VF 0's note does not say why: {vf0['note']!r}")
    # VF 1 on igbvf: its own netdev's counters, labelled as such, moving.
    if vf1["counterSource"] != "netdev" or vf1["netdev"] != netdev:
        failures.append(f"VF 1 is not counted from its netdev {netdev}: {vf1}")
    if not (vf1["txBitsPerSecond"] or 0) > 0 or not (vf1["txPacketsPerSecond"] or 0) > 0:
        failures.append(f"VF 1 sends (ping) but its tx rate is {vf1['txBitsPerSecond']}")
    if not (vf1["rxBitsPerSecond"] or 0) > 0:
        failures.append(f"VF 1 receives (ARP/ICMP replies) but its rx rate is {vf1['rxBitsPerSecond']}")
    (rx0, tx0), (rx1, tx1) = stats("witness-top-before.json"), stats("witness-top-after.json")
    if not tx0["bytes"] <= vf1["txBytes"] <= tx1["bytes"]:
        failures.append(f"VF 1 txBytes {vf1['txBytes']} is not between iproute2's {tx0['bytes']} and {tx1['bytes']}")
    # The average over the window iproute2 saw bounds the rate sriovctl measured inside it (loosely:
    # the guest is emulated and its clock coarse), so a wrong unit (bytes vs bits) is caught.
    print(f"     top: VF 1 rx {vf1['rxBitsPerSecond']} bit/s tx {vf1['txBitsPerSecond']} bit/s "
          f"({vf1['txPacketsPerSecond']} pkt/s) from {vf1['counterSource']}; VF 0: {vf0['note']}")
    if vf1["txBitsPerSecond"] and not 0.2 <= vf1["txBitsPerSecond"] / max((tx1["bytes"] - tx0["bytes"]) * 8 / 2.0, 1) <= 5:
        failures.append(f"VF 1 tx rate {vf1['txBitsPerSecond']} bit/s is far from iproute2's "
                        f"{(tx1['bytes'] - tx0['bytes']) * 8 / 2.0:.0f} bit/s over the same 2 s")
    # The reason for all this: under this traffic igb's per-VF counters stay zero.
    pf = json.loads(read("witness-pf-vfstats.json"))[0]
    vfstats = next((vf.get("stats") for vf in pf.get("vfinfo_list", []) if vf.get("vf") == 1), None)
    if vfstats is None:
        failures.append("iproute2 printed no per-VF stats for VF 1")
    # iproute2 names the tx side's keys tx_bytes/tx_packets in JSON, the rx side's bytes/packets.
    elif vfstats["tx"].get("tx_bytes", vfstats["tx"].get("bytes")) != 0 or vfstats["rx"]["bytes"] != 0:
        failures.append(f"igb reported per-VF counters {vfstats}: the driver table's igb entry is wrong")
    else:
        print(f"     igb's IFLA_VF_STATS for VF 1: all zero while its netdev had sent {tx1['bytes']} bytes")
    text = read("top-text.out")
    if "igb has no per-VF counters" not in text or "netdev" not in text:
        failures.append(f"top --once text lacks the sources: {text[-600:]}")

    # /metrics
    page = read("metrics2.txt")
    if read("metrics2.code") != "0" or not page:
        return failures + [f"no /metrics page: serve.err {read('serve.err')[-400:]}"]
    def sample(name, vf):
        m = re.search(rf'^{name}{{pf="[^"]+",vf="{vf}",pci="[^"]+",source="netdev"}} (\d+)$', page, re.M)
        return int(m.group(1)) if m else None
    tx_bytes = sample("sriovctl_vf_tx_bytes_total", 1)
    (mrx0, mtx0), (mrx1, mtx1) = stats("witness-metrics-before.json"), stats("witness-metrics-after.json")
    if tx_bytes is None:
        failures.append("no sriovctl_vf_tx_bytes_total for VF 1 labelled source=\"netdev\"")
    elif not mtx0["bytes"] <= tx_bytes <= mtx1["bytes"]:
        failures.append(f"/metrics VF 1 tx bytes {tx_bytes} not between iproute2's {mtx0['bytes']} and {mtx1['bytes']}")
    first = re.search(r'^sriovctl_vf_tx_bytes_total{[^}]*vf="1"[^}]*} (\d+)$', read("metrics1.txt"), re.M)
    if first and tx_bytes is not None and not tx_bytes > int(first.group(1)):
        failures.append("VF 1's tx counter did not grow between two scrapes 2 s apart")
    if re.search(r'^sriovctl_vf_\w+_total{[^}]*vf="0"', page, re.M):
        failures.append("/metrics has traffic counters for VF 0, whose driver keeps none")
    if not re.search(r'^sriovctl_vf_info{[^}]*vf="0"[^}]*counter_source="none",note="igb has no per-VF counters', page, re.M):
        failures.append("sriovctl_vf_info for VF 0 does not say counter_source=\"none\" and why")
    if not re.search(r'^sriovctl_last_apply_success{trigger="apply"} 1$', page, re.M):
        failures.append("no sriovctl_last_apply_success 1 after the apply")
    if not re.search(r'^sriovctl_config_drift_changes 0$', page, re.M):
        failures.append("drift is not 0 right after apply")
    fetched = pathlib.Path(__file__).resolve().parent.parent / ".cache/tools/usr/bin/promtool"
    promtool = shutil.which("promtool") or (str(fetched) if fetched.exists() else None)
    if promtool:
        result = subprocess.run([promtool, "check", "metrics"], input=page + "\n", capture_output=True, text=True)
        if result.returncode != 0:
            failures.append(f"promtool check metrics: {result.stdout}{result.stderr}")
    else:
        print("     skipped promtool check metrics: no promtool (scripts/test-tools fetches it)")
    if read("serve.code") != "0":
        failures.append(f"serve exited {read('serve.code')} on SIGTERM: {read('serve.err')[-300:]}")
    start, end = map(float, read("serve-stop.span").split())
    print(f"     serve: {read('serve-rss.txt')} after two scrapes; SIGTERM to exit {end - start:.2f} s (guest time)")
    if end - start > 5:
        failures.append(f"serve took {end - start:.1f} s to stop on SIGTERM")
    return failures
