/// How one apply runs: the command, the boot unit, the watcher and the hookscript differ only here.
public struct ApplyRequest: Sendable {
    public enum Trigger: String, Sendable {
        /// `sriovctl apply`.
        case apply
        /// `sriovctl apply --boot`: wait for PFs, configure those present, report the others.
        case boot
        /// `sriovctl watch`: the same as boot, and quiet when nothing changed.
        case watch
        /// `sriovctl apply --guest VMID`: only that guest's VF settings.
        case guest
    }

    public var trigger: Trigger
    /// Remove or rebind VFs that are in use.
    public var force = false
    /// At boot: wait up to this long for configured PFs to appear.
    public var waitSeconds: Double = 0
    /// The guest, with `.guest`.
    public var guest: Int?
    /// With `.guest`: also put its VF MACs in the PF's forwarding table.
    public var bridgeFDB = false

    public init(trigger: Trigger, force: Bool = false, waitSeconds: Double = 0, guest: Int? = nil, bridgeFDB: Bool = false) {
        self.trigger = trigger
        self.force = force
        self.waitSeconds = waitSeconds
        self.guest = guest
        self.bridgeFDB = bridgeFDB
    }

    /// Configured PFs that are not there are reported, not an error (they may still appear).
    var allowMissing: Bool { trigger == .boot || trigger == .watch }
    var quietWhenUnchanged: Bool { trigger == .watch }
}
