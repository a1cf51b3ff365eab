import SRIOVCore

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
    /// With `.guest`: where the guest is (the hookscript's phase). At pre-start its VF settings
    /// are re-asserted; at either phase the forwarding tables of PFs with `sync-bridge-fdb` take
    /// (or drop) its network devices' MACs.
    public var phase: GuestPhase = .preStart
    /// `--drain`: stop the running guests the plan disturbs, apply, start them again.
    public var drain: Drain?

    public struct Drain: Sendable {
        /// Seconds each guest has to shut down (`qm shutdown --timeout`).
        public var timeout: Int
        /// Show the sequence, change nothing.
        public var dryRun: Bool
        /// `qm stop` a guest that does not shut down in time, instead of aborting.
        public var forceStop: Bool

        public init(timeout: Int = 180, dryRun: Bool = false, forceStop: Bool = false) {
            self.timeout = timeout
            self.dryRun = dryRun
            self.forceStop = forceStop
        }
    }

    public init(trigger: Trigger, force: Bool = false, waitSeconds: Double = 0, guest: Int? = nil, phase: GuestPhase = .preStart) {
        self.trigger = trigger
        self.force = force
        self.waitSeconds = waitSeconds
        self.guest = guest
        self.phase = phase
    }

    /// Configured PFs that are not there are reported, not an error (they may still appear).
    var allowMissing: Bool { trigger == .boot || trigger == .watch }
    var quietWhenUnchanged: Bool { trigger == .watch }
}
