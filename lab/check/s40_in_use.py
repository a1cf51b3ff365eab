"""40-in-use: a held VFIO group blocks a count reduction, quickly and without changes."""

def check(folder):
    failures = []
    read = lambda n: (folder / n).read_text().strip()
    if read("apply1.code") != "0":
        failures.append(f"setup apply failed: {read('apply1.err')[-300:]}")
    pid, group = read("holder.pid"), read("group.txt")
    if f"process {pid} (sleep) has /dev/vfio/{group} open" not in read("plan.out"):
        failures.append(f"plan does not flag the holder: {read('plan.out')[-400:]}")
    if read("apply2.code") != "1":
        failures.append(f"apply with a held VF exited {read('apply2.code')}, expected 1")
    err = read("apply2.err")
    if "refusing" not in err or f"process {pid} (sleep)" not in err:
        failures.append(f"the refusal does not name the holder: {err[-400:]}")
    start, end = map(float, read("apply2.span").split())
    print(f"     refusal took {end - start:.2f} s (guest time)")
    if end - start > 10:
        failures.append(f"the refusal took {end - start:.1f} s")
    if read("apply2.same") != "same":
        failures.append("the host changed although apply refused")
    if read("apply3.code") != "0" or read("numvfs-after.txt") != "2":
        failures.append(f"after the holder exited, apply did not reduce to 2 VFs: {read('apply3.err')[-300:]}")
    return failures
