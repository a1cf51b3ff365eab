"""Reads iproute2's and sysfs's view of the PF, for comparing with `sriovctl status --json`."""
import json, pathlib

def sysfs_facts(path):
    facts = {}
    for line in pathlib.Path(path).read_text().splitlines():
        if "=" in line:
            key, value = line.split("=", 1)
            facts[key] = value
    return facts

def ip_links(path):
    return {link["ifname"]: link for link in json.loads(pathlib.Path(path).read_text())}

def ip_vf_view(entry):
    """One `vfinfo_list` entry in sriovctl's terms. iproute2 leaves out zero VLAN/QoS/rates and
    settings the driver does not report, so absence means 0 for numbers and None for flags."""
    vlan_list = entry.get("vlan_list") or [{}]
    first = vlan_list[0]
    return {
        "mac": entry.get("address", entry.get("mac")),
        "vlan": first.get("vlan", entry.get("vlan", 0)),
        "qos": first.get("qos", entry.get("qos", 0)),
        "vlanProtocol": first.get("protocol", "802.1Q"),
        "spoofCheck": entry.get("spoofchk"),
        "trust": entry.get("trust"),
        "linkState": entry.get("link_state"),
        # iproute2 6.x prints {"rate": {"max_tx", "min_tx"}}; older ones flat keys.
        "minTxRate": (entry.get("rate") or {}).get("min_tx", entry.get("min_tx_rate", 0)),
        "maxTxRate": (entry.get("rate") or {}).get("max_tx", entry.get("max_tx_rate", entry.get("tx_rate", 0))),
    }

def compare_status(status, ip_path, sysfs_path):
    """Every field of every PF and VF in `status` against iproute2 and sysfs. Returns failures."""
    failures = []
    links = ip_links(ip_path)
    facts = sysfs_facts(sysfs_path)
    pfs = [pf for pf in status["pfs"] if pf["pci"] == facts["pf.pci"]]
    if len(pfs) != 1:
        return [f"status lists {len(pfs)} PFs at {facts['pf.pci']}, expected 1"]
    pf = pfs[0]
    link = links.get(pf["name"])
    if link is None:
        return [f"iproute2 has no link named {pf['name']}"]

    def same(what, ours, theirs):
        if ours != theirs:
            failures.append(f"{what}: sriovctl says {ours!r}, witness says {theirs!r}")

    same("pf.name", pf["name"], facts["pf.netdev"])
    same("pf.driver", pf["driver"], facts["pf.driver"])
    same("pf.totalVfs", pf["totalVfs"], int(facts["pf.totalvfs"]))
    same("pf.numVfs", pf["numVfs"], int(facts["pf.numvfs"]))
    same("pf.numVfs (netlink)", pf["numVfs"], link.get("num_vf", pf["numVfs"]))
    same("pf.mac", pf["mac"], link["address"])
    same("pf.permanentMac", pf["permanentMac"], link.get("permaddr", link["address"]))
    same("pf.mtu", pf["mtu"], link["mtu"])
    same("pf.linkUp", pf["linkUp"], link["operstate"] == "UP")
    vfinfo = {entry["vf"]: entry for entry in link.get("vfinfo_list", [])}
    same("number of VFs", len(pf["vfs"]), len(vfinfo))
    for vf in pf["vfs"]:
        i = vf["index"]
        p = f"vf{i}"
        same(f"{p}.pci", vf["pci"], facts.get(f"{p}.pci"))
        same(f"{p}.iommuGroup", vf["iommuGroup"], int(facts[f"{p}.iommu_group"]) if facts.get(f"{p}.iommu_group") else None)
        same(f"{p}.driver", vf["driver"], facts.get(f"{p}.driver") or None)
        same(f"{p}.netdev", vf["netdev"], facts.get(f"{p}.netdev") or None)
        if i not in vfinfo:
            failures.append(f"{p}: iproute2 reports no such VF")
            continue
        for key, value in ip_vf_view(vfinfo[i]).items():
            same(f"{p}.{key}", vf[key], value)
    return failures
