/// A Proxmox guest as sriovctl sees it: its id, whether it runs, its hostpci lines.
public struct ProxmoxGuest: Hashable, Sendable {
    public var vmid: Int
    public var running: Bool
    public var references: [HostPCIReference]
    /// Its network devices on bridges (`netN` lines).
    public var nics: [GuestNIC]
    /// Its hookscript volume (`hookscript: local:snippets/x.sh`), if it has one.
    public var hookscript: String?
    /// `template: 1`: Proxmox never starts it.
    public var isTemplate: Bool = false
    /// A q35 machine (`pcie=1` needs one).
    public var isQ35: Bool = false
    /// The hostpci lines it gets at its next start, where `[PENDING]` changes them (a `qm set` on
    /// a running guest); nil when nothing is pending for them.
    public var pendingReferences: [HostPCIReference]?
    /// Lines of its config Proxmox ignores, with Proxmox's reason.
    public var warnings: [String] = []
    /// Its QEMU process id, when it runs.
    public var pid: Int?
    /// `name:`, as Proxmox shows it.
    public var name: String?
    /// `startup: order=N,up=S,down=S`: where it starts among the guests, and how long to wait after.
    public var startup: StartupOrder?

    public init(vmid: Int, running: Bool, references: [HostPCIReference], nics: [GuestNIC] = [], hookscript: String? = nil) {
        self.vmid = vmid
        self.running = running
        self.references = references
        self.nics = nics
        self.hookscript = hookscript
    }

    /// A guest from its config text, read as qemu-server reads it (`GuestConfigFile`).
    public init(vmid: Int, running: Bool, config text: String, pid: Int? = nil) {
        let file = GuestConfigFile.parse(text, vmid: vmid)
        self.init(
            vmid: vmid, running: running, references: HostPCIReference.references(in: file.current),
            nics: GuestNIC.nics(in: file.current), hookscript: file.current["hookscript"])
        isTemplate = file.isTemplate
        isQ35 = file.isQ35
        warnings = file.warnings
        self.pid = pid
        name = file.current["name"]
        startup = file.current["startup"].flatMap(StartupOrder.init)
        let pendingKeys = file.pending.keys.filter { $0.hasPrefix("hostpci") }
        let deleted = file.pendingDeletes.filter { $0.hasPrefix("hostpci") }
        if !pendingKeys.isEmpty || !deleted.isEmpty {
            var next = file.current.filter { $0.key.hasPrefix("hostpci") }
            for key in deleted { next[key] = nil }
            for key in pendingKeys { next[key] = file.pending[key] }
            pendingReferences = HostPCIReference.references(in: next)
        }
    }

    /// The hostpci lines as they will be at the next start.
    public var nextStartReferences: [HostPCIReference] { pendingReferences ?? references }

    /// The `hookscript:` line of the current config (not a snapshot's).
    public static func hookscript(vmConfig text: String) -> String? {
        GuestConfigFile.parse(text, vmid: 0).current["hookscript"]
    }
}

/// qemu-server's `startup` option (`$startup_fmt` in PVE::JSONSchema: `[[order=]\d+] [,up=\d+]
/// [,down=\d+]`): guests start in ascending order, each waited for `up` seconds after, and stop in
/// the reverse order; guests without an order come last.
public struct StartupOrder: Hashable, Sendable {
    public var order: Int?
    public var up: Int?
    public var down: Int?

    public init(order: Int? = nil, up: Int? = nil, down: Int? = nil) {
        self.order = order
        self.up = up
        self.down = down
    }

    /// Parses the option's value; nil when it is not one Proxmox accepts.
    public init?(_ text: String) {
        guard text.count <= 128 else { return nil }
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let pair = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            let key = pair.count == 2 ? pair[0] : "order"
            guard let last = pair.last, !last.isEmpty, last.allSatisfy({ $0.isASCII && $0.isNumber }), let value = Int(last), value >= 0,
                value <= 1_000_000
            else {
                return nil
            }
            switch key {
            case "order" where order == nil: order = value
            case "up" where up == nil: up = value
            case "down" where down == nil: down = value
            default: return nil
            }
        }
    }
}
