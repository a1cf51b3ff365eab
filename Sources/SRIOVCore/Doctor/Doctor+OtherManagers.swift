extension Doctor {
    /// One line per other SR-IOV manager found (`warn` when it runs at boot, `info` when it does
    /// not), or one `ok` line when there is none.
    public static func otherManagers(_ found: [OtherManager]) -> [CheckResult] {
        guard !found.isEmpty else {
            return [
                CheckResult(
                    "other-managers", "Other SR-IOV managers", .ok,
                    "none found (systemd units, /etc/network/interfaces, sysfs.conf, udev rules, modprobe options, systemd-networkd, NetworkManager, netplan)"
                )
            ]
        }
        return found.map { manager in
            let fix: String
            switch manager.retirement {
            case let .tellUser(command): fix = "sriovctl does not edit it; run: \(command)"
            case .disableUnit, .commentOut, .moveAside:
                fix = "sriovctl boot enable --take-over retires it (shown as a diff first, backed up; boot disable --restore puts it back)"
            }
            return CheckResult(
                "other-manager", "Other SR-IOV manager: \(manager.kind.rawValue) \(manager.name)",
                manager.active ? .warn : .info,
                "\(manager.place) sets \(manager.sets.joined(separator: "; ")). \(manager.atBoot)",
                fix: manager.active ? fix : nil)
        }
    }
}
