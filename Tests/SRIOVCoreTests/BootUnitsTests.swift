import SRIOVCore
import Testing

@Suite struct BootUnitsTests {
    let apply = BootUnits.apply(binary: "/usr/local/sbin/sriovctl", config: "/etc/sriovctl/sriovctl.toml", waitSeconds: 60)
    let watch = BootUnits.watch(binary: "/usr/local/sbin/sriovctl", config: "/etc/sriovctl/sriovctl.toml")

    func lines(_ unit: String, _ key: String) -> [String] {
        unit.split(separator: "\n").filter { $0.hasPrefix(key + "=") }.map { String($0.dropFirst(key.count + 1)) }
    }

    @Test func applyRunsBeforeNetworkAndGuests() {
        #expect(lines(apply, "Before") == ["network-pre.target pve-guests.service shutdown.target"])
        #expect(lines(apply, "Wants") == ["network-pre.target"])
        // As early as the journal and /var/lib/sriovctl (probe answers) allow: not after udev, its
        // coldplug or systemd-modules-load (a PF not there yet is waited for, modules are loaded).
        let after = Set(lines(apply, "After").flatMap { $0.split(separator: " ").map(String.init) })
        #expect(after == ["systemd-journald.socket", "zfs-mount.service"])
        #expect(lines(apply, "RequiresMountsFor") == ["/var/lib/sriovctl"])
        #expect(lines(apply, "DefaultDependencies") == ["no"], "early boot: not after basic.target")
        #expect(lines(apply, "Type") == ["oneshot"])
        #expect(lines(apply, "RemainAfterExit") == ["yes"])
        #expect(lines(apply, "ExecStart") == ["/usr/local/sbin/sriovctl apply --boot --wait 60 --config /etc/sriovctl/sriovctl.toml"])
        #expect(lines(apply, "TimeoutStartSec") == ["120"], "bounded: the boot never hangs on a missing PF")
        #expect(lines(apply, "WantedBy") == ["multi-user.target"])
        #expect(lines(apply, "ConditionPathExists") == ["/etc/sriovctl/sriovctl.toml"])
        #expect(apply.contains("[Unit]\n") && apply.contains("\n[Service]\n") && apply.contains("\n[Install]\n"))
    }

    @Test func watcherRestartsAndFollowsTheApplyUnit() {
        #expect(lines(watch, "ExecStart") == ["/usr/local/sbin/sriovctl watch --config /etc/sriovctl/sriovctl.toml"])
        #expect(lines(watch, "After") == ["sriovctl.service"])
        #expect(lines(watch, "Restart") == ["on-failure"])
        #expect(lines(watch, "WantedBy") == ["multi-user.target"])
    }

    @Test func metricsServiceIsReadOnlyAndStopsOnSIGTERM() {
        let unit = BootUnits.metrics(
            binary: "/usr/local/sbin/sriovctl", config: "/etc/sriovctl/sriovctl.toml",
            listen: ListenAddress("[::1]:9100")!)
        #expect(lines(unit, "ExecStart") == ["/usr/local/sbin/sriovctl serve --listen [::1]:9100 --config /etc/sriovctl/sriovctl.toml"])
        #expect(lines(unit, "ProtectSystem") == ["strict"], "nothing on disk is writable to it")
        #expect(lines(unit, "CapabilityBoundingSet") == [""], "no capabilities at all")
        #expect(lines(unit, "NoNewPrivileges") == ["yes"])
        #expect(lines(unit, "KillSignal") == ["SIGTERM"])
        #expect(lines(unit, "RestrictAddressFamilies").first?.contains("AF_NETLINK") == true, "it reads links over rtnetlink")
        #expect(lines(unit, "After") == ["network.target sriovctl.service"])
        #expect(lines(unit, "WantedBy") == ["multi-user.target"])
    }

    @Test(arguments: [
        ("/usr/local/sbin/sriovctl", true), ("sriovctl", false), ("/opt/my tools/sriovctl", false),
        ("/x/%h", false), ("/x/$HOME", false),
    ])
    func onlyPlainAbsolutePathsGoIntoUnits(path: String, ok: Bool) {
        #expect(BootUnits.isPlainPath(path) == ok)
    }
}
