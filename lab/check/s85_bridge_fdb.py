"""85-bridge-fdb: sync-bridge-fdb lets a VF guest reach a bridged guest; watch adds a new one within
2 s; turning the key off removes exactly what sriovctl added. Witness: iproute2's `bridge fdb show`."""
import json

B, C = "02:00:00:00:00:99", "02:00:00:00:00:98"

def entries(folder, name):
    def key(e):
        return (e.get("mac"), e.get("ifname"), e.get("master", ""), tuple(sorted(e.get("flags", []))),
                e.get("state", ""), e.get("vlan"))
    return {key(e) for e in json.loads((folder / name).read_text() or "[]")}

def own(table, pf):
    """The PF's own table (self entries), as `bridge fdb show dev PF self` lists it."""
    return {e[0] for e in table if e[1] == pf and "self" in e[3] and not e[2]}

def check(folder):
    failures = []
    read = lambda n: (folder / n).read_text().strip() if (folder / n).exists() else f"<{n} missing>"
    pf = read("pf.txt") if (folder / "pf.txt").exists() else None
    before = entries(folder, "fdb-before.json")
    if pf is None:
        pfs = {e[1] for e in before if e[2] == "br0" and e[0] != B and e[1] not in ("vBh", "br0")}
        pf = sorted(pfs)[0] if pfs else "?"
    if read("apply1.code") != "0":
        failures.append(f"setup apply failed: {read('apply1.err')[-300:]}")
    if not any(e[0] == B and e[1] == "vBh" and e[2] == "br0" for e in before):
        failures.append("setup: br0 did not learn B's MAC on vBh (B never sent a frame?)")
    if B in own(before, pf):
        failures.append("setup: B's MAC was in the PF's own table before sriovctl ran")
    if read("ping-before.code") == "0":
        failures.append("A reached B before sync-bridge-fdb: the lab does not show the problem")
    plan = read("plan.out")
    if B not in plan or "vBh" not in plan:
        failures.append(f"plan does not show B's MAC and where it lives: {plan[-400:]}")
    try:
        steps = json.loads(read("plan-json.out"))["steps"]
        sync = [s for s in steps if s.get("action") == "sync-bridge-fdb"]
        if not sync or B not in [a["mac"] for a in sync[0]["add"]] or sync[0]["bridges"] != ["br0"]:
            failures.append(f"plan --json has no sync-bridge-fdb step adding B on br0: {sync}")
    except Exception as e:
        failures.append(f"plan --json: {e}")
    if read("apply2.code") != "0":
        failures.append(f"apply with the key failed: {read('apply2.out')[-300:]} {read('apply2.err')[-300:]}")
    synced = entries(folder, "fdb-synced.json")
    if B not in own(synced, pf):
        failures.append(f"after apply, B's MAC is not in {pf}'s own table (bridge fdb show)")
    if read("ping-after.code") != "0":
        failures.append(f"A still cannot reach B after apply: {read('ping-after.out')[-300:]}")
    if read("plan-again.code") != "0":
        failures.append(f"plan after apply is not empty: {read('plan-again.out')[-300:]}")
    if B not in read("record-after-apply.json"):
        failures.append("the record under /run/sriovctl does not hold B's MAC")
    try:
        counted = [p.get("bridgeFdbEntries") for p in json.loads(read("status.out"))["pfs"] if p.get("name") == pf]
    except Exception as e:
        counted = [f"unreadable: {e}"]
    if counted != [1]:
        failures.append(f"status --json does not count 1 synced entry for {pf}: {counted}")
    span = read("watch-c.span").split()
    if len(span) != 2 or span[1] == "none":
        failures.append(f"with watch running, A never reached C: {read('watch.err')[-500:]}")
    else:
        took = float(span[1]) - float(span[0])
        print(f"     C reachable from A {took:.2f} s after C's first frame (guest time)")
        if took > 2.0:
            failures.append(f"C became reachable {took:.2f} s after its first frame (more than 2 s)")
    if C not in own(entries(folder, "fdb-with-c.json"), pf):
        failures.append("watch did not add C's MAC to the PF's own table")
    span = read("watch-c-gone.span").split()
    if len(span) != 2 or span[1] == "none":
        failures.append("after C went away, watch did not take C's MAC out of the PF's table within 5 s")
    else:
        took = float(span[1]) - float(span[0])
        print(f"     C's entry gone from the PF {took:.2f} s after C's namespace was deleted (guest time)")
    if C in own(entries(folder, "fdb-c-gone.json"), pf) or B not in own(entries(folder, "fdb-c-gone.json"), pf):
        failures.append("after C went away the PF's table should hold B's MAC and not C's")
    if C in read("record-after-watch.json"):
        failures.append("the record still holds C's MAC after watch removed it")
    if read("apply3.code") != "0":
        failures.append(f"apply with the key off failed: {read('apply3.err')[-300:]}")
    after = entries(folder, "fdb-after-off.json")
    if own(after, pf) != own(before, pf):
        failures.append(f"the PF's own table differs from before: before {sorted(own(before, pf))}, after {sorted(own(after, pf))}")
    # Every other entry: own tables and static or permanent ones exactly as before (C's veth brings
    # its own), and what br0 had learned before still learned where it was (traffic adds more).
    stable = lambda t: {e for e in t if "self" in e[3] or e[4] in ("permanent", "static")}
    if {e for e in stable(after) if e[1] != "vCh"} != stable(before):
        failures.append(f"entries sriovctl must not touch changed: before {sorted(map(str, stable(before)))[:6]}, after {sorted(map(str, stable(after)))[:6]}")
    lost = {e for e in before - stable(before)} - after
    if lost:
        failures.append(f"learned entries that were there before are gone: {sorted(map(str, lost))[:5]}")
    if read("ping-off.code") == "0":
        failures.append("A still reaches B with the key off")
    if "02:00" in read("record-after-off.json"):
        failures.append(f"the record still holds entries: {read('record-after-off.json')}")
    return failures
