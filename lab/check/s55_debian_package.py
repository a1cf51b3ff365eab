"""55-debian-package: the .deb installs on Debian without Swift, brings the VFs back at boot,
upgrades keeping its units enabled and current; removal is refused while sriovctl alone makes the
VFs, puts a taken-over unit back (the VFs come back the old way after a reboot); purge keeps what
`host prepare --undo` needs while its changes are in place, and after --undo leaves nothing."""
import json

def vf0_mac(ip_json, wanted, when):
    """What is wrong with VF 0's MAC in iproute2's `ip -j link show` output, as failures."""
    try:
        vfs = json.loads(ip_json)[0].get("vfinfo_list", [])
    except (json.JSONDecodeError, IndexError) as e:
        return [f"iproute2's view {when} is unusable: {e}"]
    found = vfs[0].get("address") if vfs else None
    return [] if found == wanted else [f"VF 0's MAC {when} is {found}, not {wanted}"]

def check(folder):
    failures = []
    read = lambda n: (folder / n).read_text().strip() if (folder / n).exists() else ""
    if read("swift.txt").startswith("/"):
        failures.append(f"the guest has Swift: {read('swift.txt')}")
    if read("install1.code") != "0":
        failures.append(f"apt install of revision 1 exited {read('install1.code')}: {read('install1.err')[-400:]}")
    if "install ok installed" not in read("dpkg-s1.txt"):
        failures.append(f"dpkg does not show the package installed: {read('dpkg-s1.txt')}")
    if read("version.code") != "0" or not read("version.out") or read("version.out") not in read("dpkg-s1.txt"):
        failures.append(f"sriovctl --version said {read('version.out')!r}, the package is {read('dpkg-s1.txt')!r}")
    if read("man-xr-missing.txt"):
        failures.append(f"SEE ALSO names pages that are not installed: {read('man-xr-missing.txt')}")
    for name in ("root-help.txt", "man-status.txt"):
        if "/usr/share/doc/sriovctl/examples/" not in read(name).replace("\n", " "):
            failures.append(f"{name} does not name the installed examples: {read(name)[:300]}")
    if "i350-t4-homelab.json" not in read("doc-examples.txt"):
        failures.append(f"the examples are not installed: {read('doc-examples.txt')}")
    if read("man-no-examples.txt"):
        failures.append(f"man pages without EXAMPLES: {read('man-no-examples.txt')}")
    if read("man-warnings.txt"):
        failures.append(f"man warns: {read('man-warnings.txt')[:600]}")
    if int(read("man-pages.txt") or 0) < 20:
        failures.append(f"only {read('man-pages.txt')} sriovctl pages in man8")
    if read("man-sections.txt").split("\n") != [".Sh FILES", ".Sh ENVIRONMENT", ".Sh EXAMPLES"]:
        failures.append(f"sriovctl(8) sections: {read('man-sections.txt')!r}")
    for page, path in (("man-sriovctl", "/usr/share/man/man8/sriovctl.8.gz"), ("man-toml", "/usr/share/man/man5/sriovctl.toml.5.gz"),
                       ("man-apply", "/usr/share/man/man8/sriovctl-apply.8.gz")):
        if read(f"{page}.out") != path:
            failures.append(f"man -w found {read(page + '.out')!r} ({read(page + '.err')[-200:]}), not {path}")
    listed = read("listed.txt").splitlines()
    for path in ("/usr/sbin/sriovctl", "/usr/lib/systemd/system/sriovctl.service", "/usr/share/bash-completion/completions/sriovctl",
                 "/usr/share/zsh/vendor-completions/_sriovctl", "/usr/share/fish/vendor_completions.d/sriovctl.fish",
                 "/usr/share/doc/sriovctl/copyright", "/usr/share/doc/sriovctl/examples/sriovctl.toml"):
        if path not in listed:
            failures.append(f"the package does not install {path}")
    if read("enable.code") != "0":
        failures.append(f"boot enable exited {read('enable.code')}: {read('enable.out')} {read('enable.err')}")
    if "sriovctl.service" in read("etc-units1.txt").split():
        failures.append("boot enable wrote its own unit in /etc although the package ships one")
    if read("enabled1.txt").split() != ["enabled", "enabled"]:
        failures.append(f"after boot enable: {read('enabled1.txt')}")
    if read("unit-doc-missing.txt") or [l.rsplit(":", 1)[-1] for l in read("unit-doc-lines.txt").splitlines()] != ["1", "1", "1"]:
        failures.append(f"units' Documentation=: missing pages {read('unit-doc-missing.txt')!r}, lines {read('unit-doc-lines.txt')!r}")
    for name in ("README.Debian", "changelog.Debian.gz"):
        if name not in read("doc-files.txt").split():
            failures.append(f"/usr/share/doc/sriovctl has no {name}: {read('doc-files.txt')}")
    version = next((l.split(": ", 1)[1] for l in read("dpkg-s1.txt").splitlines() if l.startswith("Version:")), "?")
    if not read("changelog-top.txt").startswith(f"sriovctl ({version})"):
        failures.append(f"the changelog's newest entry is {read('changelog-top.txt')!r}, the package {version}")
    # Removal refused while sriovctl alone makes the VFs at boot, nothing changed.
    if read("remove-refused.code") == "0" or "sriovctl: the package was not removed" not in read("remove-refused.out") + read("remove-refused.err"):
        failures.append(f"apt remove was not refused: {read('remove-refused.code')} {read('remove-refused.err')[-400:]}")
    if "install ok installed" not in read("dpkg-s-after-refusal.txt"):
        failures.append(f"after the refused removal: {read('dpkg-s-after-refusal.txt')}")
    if read("etc-before-refusal.txt") != read("etc-after-refusal.txt"):
        failures.append("the refused removal changed /etc/systemd or /etc/sriovctl")
    if read("take-over.code") != "0" or read("sriov-enabled-after-take-over.txt") != "disabled":
        failures.append(f"boot enable --take-over: {read('take-over.code')} {read('take-over.err')[-300:]}; sriov.service {read('sriov-enabled-after-take-over.txt')}")
    # Boot 2: the packaged unit configured the VFs at boot; the retired unit did not run.
    if read("sriov-started-boot2.txt") not in ("", "0"):
        failures.append(f"the retired sriov.service ran at boot 2 ({read('sriov-started-boot2.txt')})")
    if read("numvfs-at-boot.txt") != "2":
        failures.append(f"{read('numvfs-at-boot.txt')} VFs at boot, not 2")
    failures += vf0_mac(read("ip-link-at-boot.json"), "02:00:00:00:00:55", "at boot")
    if "Result=success" not in read("apply-unit.txt"):
        failures.append(f"sriovctl.service at boot: {read('apply-unit.txt')}")
    # The upgrade.
    if read("install2.code") != "0" or "-2" not in read("dpkg-s2.txt"):
        failures.append(f"the upgrade exited {read('install2.code')}: {read('dpkg-s2.txt')} {read('install2.err')[-300:]}")
    before = dict(l.split("=", 1) for l in read("watch-before.txt").splitlines() if "=" in l)
    after = dict(l.split("=", 1) for l in read("watch-after.txt").splitlines() if "=" in l)
    if before.get("ActiveState") != "active" or after.get("ActiveState") != "active":
        failures.append(f"the watcher was not running around the upgrade: {before} -> {after}")
    elif before.get("InvocationID") == after.get("InvocationID"):
        failures.append("the upgrade did not restart the running watcher (same InvocationID)")
    if read("enabled2.txt").split() != ["enabled", "enabled"]:
        failures.append(f"after the upgrade: {read('enabled2.txt')}")
    status = read("boot-status.out")
    if status.count("installed, enabled") < 2 or "differs" in status:
        failures.append(f"boot status after the upgrade: {status}")
    if read("numvfs-after-upgrade.txt") != "2":
        failures.append("the upgrade changed the VFs")
    # The hookscript on removal: detached from every guest, VM 100's own one given back.
    if read("hook-install.code") != "0" or read("guests-hooked.txt").count("hookscript: local:snippets/sriovctl-hook.sh") != 2:
        failures.append(f"hookscript install before removal: {read('hook-install.code')} {read('hook-install.err')[-300:]} {read('guests-hooked.txt')!r}")
    if "hookscript: local:snippets/own.sh" not in read("vm100-after-remove.conf"):
        failures.append(f"apt remove did not give VM 100 its own hookscript back: {read('vm100-after-remove.conf')!r}")
    if "hookscript" in read("vm101-after-remove.conf"):
        failures.append(f"apt remove left VM 101 with a hookscript: {read('vm101-after-remove.conf')!r}")
    if "sriovctl-hook.sh" in read("snippets-after-remove.txt"):
        failures.append(f"apt remove left the hookscript in the snippets storage: {read('snippets-after-remove.txt')}")
    if read("hook-without-binary.code") != "0" or "were not re-asserted" not in read("hook-without-binary.err"):
        failures.append(f"the hookscript without sriovctl stops a guest's start: {read('hook-without-binary.code')} {read('hook-without-binary.err')[-300:]}")
    # Remove, then purge.
    if read("remove.code") != "0" or "/usr/sbin/sriovctl" in read("binary-after-remove.txt").split():
        failures.append(f"apt remove exited {read('remove.code')}; binary: {read('binary-after-remove.txt')}")
    if read("units-after-remove.txt") or "active" in read("active-after-remove.txt").replace("inactive", ""):
        failures.append(f"units left after remove: {read('units-after-remove.txt')} / {read('active-after-remove.txt')}")
    if read("config-after-remove.txt") != "sriovctl.toml":
        failures.append(f"remove did not keep the config: {read('config-after-remove.txt')}")
    if read("numvfs-after-remove.txt") != "2":
        failures.append("remove changed the VFs")
    if read("remove.code") == "0" and (read("sriov-enabled-after-remove.txt") != "enabled" or "systemctl enable sriov.service" not in read("remove.out")):
        failures.append(f"apt remove did not put sriov.service back: {read('sriov-enabled-after-remove.txt')} {read('remove.out')[-400:]}")
    # Boot 3: the VFs came back the old way.
    if read("numvfs-boot3.txt") != "3" or "Result=success" not in read("sriov-service-boot3.txt"):
        failures.append(f"after removal and a reboot: {read('numvfs-boot3.txt')} VFs, sriov.service {read('sriov-service-boot3.txt')}")
    failures += vf0_mac(read("ip-link-boot3.json"), "02:00:00:00:00:33", "at boot 3 (sriov.service's)")
    # Purge while host prepare's changes are in place: its records and the kernel changes stay.
    for step in ("reinstall1", "prepare", "purge-prepared", "reinstall2", "undo", "purge"):
        if read(f"{step}.code") != "0":
            failures.append(f"{step} exited {read(step + '.code')}: {read(step + '.out')[-300:]} {read(step + '.err')[-300:]}")
    if "sriovctl.cfg" not in read("prepared-files.txt") or "sriovctl.conf" not in read("prepared-files.txt"):
        failures.append(f"host prepare wrote {read('prepared-files.txt')!r}")
    if "kept /var/lib/sriovctl" not in read("purge-prepared.out") + read("purge-prepared.err"):
        failures.append(f"the purge did not say what it kept: {read('purge-prepared.err')[-300:]}")
    if read("kept-after-purge.txt").split() != ["backup", "host-prepare.json"]:
        failures.append(f"/var/lib/sriovctl after the purge: {read('kept-after-purge.txt')!r}")
    if "sriovctl.cfg" not in read("kernel-files-after-purge.txt"):
        failures.append(f"the purge took host prepare's kernel changes: {read('kernel-files-after-purge.txt')!r}")
    if read("initramfs-vfio-lines-after-purge.txt") != "0":
        failures.append(f"vfio lines left in /etc/initramfs-tools/modules: {read('initramfs-vfio-lines-after-purge.txt')}")
    if read("units-after-purge.txt"):
        failures.append(f"units left after purge: {read('units-after-purge.txt')}")
    left = [l for l in read("left-after-purge.txt").splitlines() if "No such file" not in l]
    if left:
        failures.append(f"left after purge: {left}")
    if read("listed-files-left.txt"):
        failures.append(f"files the package listed are still there: {read('listed-files-left.txt')}")
    if "is not installed" not in read("dpkg-s-after-purge.txt") and "not-installed" not in read("dpkg-s-after-purge.txt"):
        failures.append(f"dpkg still knows the package: {read('dpkg-s-after-purge.txt')[:200]}")
    return failures
