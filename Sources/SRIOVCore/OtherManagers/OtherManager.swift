/// Another tool that makes VFs or sets them at boot, found in a file on the host: two managers
/// fight at every boot, so `check` names each one and `boot enable --take-over` retires it.
public struct OtherManager: Hashable, Sendable {
    public enum Kind: String, Hashable, Sendable, CaseIterable {
        case systemdUnit = "systemd unit"
        case ifupdown = "/etc/network/interfaces"
        case sysfsutils = "sysfsutils"
        case udevRule = "udev rule"
        case modprobeOption = "modprobe option"
        case networkdLink = "systemd .link"
        case networkdNetwork = "systemd-networkd"
        case networkManager = "NetworkManager"
        case netplan = "netplan"
    }

    /// How `boot enable --take-over` retires it (each reversible by `boot disable --restore`).
    public enum Retirement: Hashable, Sendable {
        /// `systemctl disable UNIT`: the file stays.
        case disableUnit(String)
        /// These lines are commented out with a marker.
        case commentOut(lines: [Int])
        /// The file is renamed so its tool no longer reads it (`FILE.sriovctl-retired`).
        case moveAside
        /// Not edited: the user runs this command (NetworkManager, netplan).
        case tellUser(String)
    }

    public var kind: Kind
    public var file: String
    /// 1-based line numbers of what sets VFs (the first is the one shown).
    public var lines: [Int]
    /// What it sets, in words: "4 VFs on enp6s0f0", "VF 0's MAC 02:00:00:00:00:00 on enp6s0f0".
    public var sets: [String]
    /// Which one wins at boot, in a sentence.
    public var atBoot: String
    /// Whether it runs at all (a disabled unit does not fight).
    public var active: Bool
    public var retirement: Retirement

    public init(
        kind: Kind, file: String, lines: [Int], sets: [String], atBoot: String, active: Bool, retirement: Retirement
    ) {
        self.kind = kind
        self.file = file
        self.lines = lines
        self.sets = sets
        self.atBoot = atBoot
        self.active = active
        self.retirement = retirement
    }

    /// `FILE:LINE`, for messages.
    public var place: String { lines.first.map { "\(file):\($0)" } ?? file }

    /// The unit name for a unit, else the file's name.
    public var name: String {
        if case let .disableUnit(unit) = retirement { return unit }
        return String(file.split(separator: "/").last ?? Substring(file))
    }
}

/// The files a scan reads: path to text, and which units are enabled (a link in a `.wants`
/// folder of /etc/systemd/system).
public struct OtherManagerFiles: Sendable {
    public var texts: [String: String]
    public var enabledUnits: Set<String>

    public init(texts: [String: String], enabledUnits: Set<String>) {
        self.texts = texts
        self.enabledUnits = enabledUnits
    }

    /// Where other managers keep what they set, as folders and suffixes (read by the engine).
    public static let places: [(folder: String, suffix: String)] = [
        ("/etc/systemd/system", ".service"),
        ("/etc/network/interfaces.d", ""),
        ("/etc/sysfs.d", ".conf"),
        ("/etc/udev/rules.d", ".rules"),
        ("/etc/modprobe.d", ".conf"),
        ("/etc/systemd/network", ".link"),
        ("/etc/systemd/network", ".network"),
        ("/etc/NetworkManager/system-connections", ".nmconnection"),
        ("/etc/netplan", ".yaml"),
    ]
    public static let singleFiles = ["/etc/network/interfaces", "/etc/sysfs.conf"]
}
