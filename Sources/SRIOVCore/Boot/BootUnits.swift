/// The systemd units that bring the configured VFs back at every boot and after every PF reset.
/// Rendered here as text (tested as text); installed by `sriovctl boot enable`.
public enum BootUnits {
    public static let applyUnit = "sriovctl.service"
    public static let watchUnit = "sriovctl-watch.service"
    public static let metricsUnit = "sriovctl-metrics.service"
    public static let directory = "/etc/systemd/system"
    /// Where a Debian package puts its units (sriovctl's own package among them).
    public static let packagedDirectory = "/usr/lib/systemd/system"
    /// The binary and config a packaged unit names.
    public static let packagedBinary = "/usr/sbin/sriovctl"
    public static let defaultConfig = "/etc/sriovctl/sriovctl.toml"
    public static let defaultWaitSeconds = 60

    /// The drop-in file sriovctl writes beside a packaged unit.
    public static func dropInPath(_ unit: String) -> String { "\(directory)/\(unit).d/sriovctl.conf" }

    /// A path that systemd's ExecStart and a shell script can take unquoted: absolute, made only
    /// of letters, digits and `- _ . / + @ :` (no space, quote, `%`, `$`, `&`, `;`, `|`, `<`, `>`,
    /// parenthesis, backquote or control character), at most 1024 characters.
    public static func isPlainPath(_ path: String) -> Bool {
        path.hasPrefix("/") && path.count <= 1024
            && path.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-_./+@:".contains($0)) }
    }

    /// Where a `man:NAME(SECTION)` documentation reference is installed (Debian's man path,
    /// gzipped); nil for any other kind of reference.
    public static func manPagePath(_ reference: String) -> String? {
        guard reference.hasPrefix("man:"), reference.hasSuffix(")"), let open = reference.firstIndex(of: "(") else { return nil }
        let name = reference[reference.index(reference.startIndex, offsetBy: 4)..<open]
        let section = reference[reference.index(after: open)..<reference.index(before: reference.endIndex)]
        guard !name.isEmpty, section.count == 1, let digit = section.first, digit.isNumber else { return nil }
        return "/usr/share/man/man\(section)/\(name).\(section).gz"
    }

    /// The config an installed unit's last `ExecStart=` names (`--config PATH`), if a plain path.
    public static func configPath(inUnit text: String) -> String? {
        guard let start = UnitDropIn.entries(text).last(where: { $0.section == "Service" && $0.key == "ExecStart" }) else { return nil }
        let words = start.value.split(separator: " ").map(String.init)
        guard let at = words.firstIndex(of: "--config"), at + 1 < words.count, isPlainPath(words[at + 1]) else { return nil }
        return words[at + 1]
    }

    /// The oneshot that runs `apply --boot` as early as it can: once the journal can take its
    /// lines and /var/lib/sriovctl is mounted (probe answers are read there; a ZFS dataset is
    /// mounted by zfs-mount.service). It writes only under /run, loads vfio-pci and a VF driver
    /// itself when they are not loaded, and waits for a PF that is not there yet or not yet named
    /// by udev (up to `waitSeconds`, woken by the kernel's device events), so it needs neither
    /// udev, nor systemd-modules-load, nor a writable root: in the lab each of those came seconds
    /// after the PF's probe (udev's coldplug 13 s). Before the network configuration
    /// (network-pre.target) and before Proxmox starts guests (pve-guests.service), so VFs and
    /// their MACs exist first.
    public static func apply(binary: String, config: String, waitSeconds: Int) -> String {
        """
        # Installed by `sriovctl boot enable`; `sriovctl boot disable` removes it.
        [Unit]
        Description=SR-IOV VFs from \(config) (sriovctl)
        Documentation=man:sriovctl-boot-enable(8) man:sriovctl.toml(5)
        DefaultDependencies=no
        Wants=network-pre.target
        After=systemd-journald.socket zfs-mount.service
        RequiresMountsFor=/var/lib/sriovctl
        Before=network-pre.target pve-guests.service shutdown.target
        Conflicts=shutdown.target
        ConditionPathExists=\(config)

        [Service]
        Type=oneshot
        RemainAfterExit=yes
        ExecStart=\(binary) apply --boot --wait \(waitSeconds) --config \(config)
        # Bounded: a PF that never appears is reported, and the boot goes on.
        TimeoutStartSec=\(waitSeconds + 60)

        [Install]
        WantedBy=multi-user.target

        """
    }

    /// The watcher that re-applies when a PF's VFs disappear or its driver is reloaded, and keeps
    /// `sync-bridge-fdb` tables in step with the bridges.
    public static func watch(binary: String, config: String) -> String {
        """
        # Installed by `sriovctl boot enable`; `sriovctl boot disable` removes it.
        [Unit]
        Description=Re-apply sriovctl's VFs after a PF reset or driver reload, follow bridges for sync-bridge-fdb
        Documentation=man:sriovctl-watch(8) man:sriovctl-boot-enable(8)
        After=\(applyUnit)
        ConditionPathExists=\(config)

        [Service]
        Type=simple
        ExecStart=\(binary) watch --config \(config)
        Restart=on-failure
        RestartSec=5

        [Install]
        WantedBy=multi-user.target

        """
    }

    /// `sriovctl serve` as a service: read-only by construction (the file system is read-only to
    /// it, no capabilities, no new privileges), restarted if it fails, stopped with SIGTERM,
    /// which it answers with a graceful shutdown.
    public static func metrics(binary: String, config: String, listen: ListenAddress) -> String {
        """
        # Installed by `sriovctl serve enable`; `sriovctl serve disable` removes it.
        [Unit]
        Description=Prometheus metrics of SR-IOV VFs on \(listen) (sriovctl)
        Documentation=man:sriovctl-serve(8) man:sriovctl-serve-enable(8)
        After=network.target \(applyUnit)

        [Service]
        Type=simple
        ExecStart=\(binary) serve --listen \(listen) --config \(config)
        Restart=on-failure
        RestartSec=5
        KillSignal=SIGTERM
        TimeoutStopSec=10
        NoNewPrivileges=yes
        CapabilityBoundingSet=
        ProtectSystem=strict
        ProtectHome=yes
        PrivateTmp=yes
        ProtectKernelModules=yes
        ProtectControlGroups=yes
        RestrictAddressFamilies=AF_INET AF_INET6 AF_NETLINK AF_UNIX
        MemoryMax=64M
        # Bounded descriptors: many idle connections cannot starve the host.
        LimitNOFILE=1024

        [Install]
        WantedBy=multi-user.target

        """
    }
}
