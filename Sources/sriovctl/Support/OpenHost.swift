import SRIOVCore
import SRIOVHost

/// The host a command acts on, opened from the global options: the real (or rooted) Linux host,
/// or a simulated one whose state is saved after a change.
enum OpenHost {
    case linux(LinuxHost)
    case simulated(SimulatedHost, SimulatedHostStore)

    static func open(_ options: GlobalOptions) throws -> OpenHost {
        if let path = options.simulate {
            let store = HostAccess.store(options, path)
            return .simulated(try store.load(), store)
        }
        _ = try HostAccess.observer(options)  // validates --root
        return .linux(LinuxHost(root: options.root))
    }

    var observer: any HostActing {
        switch self {
        case let .linux(host): host
        case let .simulated(host, _): host
        }
    }

    /// Where the apply lock lives for the host the options name (no need to open it first).
    static func lockPath(_ options: GlobalOptions) -> String {
        if let path = options.simulate { return HostAccess.store(options, path).statePath + ".lock" }
        return RootedFileSystem(root: options.root).resolve("/run/sriovctl/apply.lock")
    }

    /// Runs the plan, then saves a simulated host's new state.
    mutating func apply(_ plan: Plan, desired: DesiredHost, log: (String) -> Void) throws -> ApplyReport {
        switch self {
        case var .linux(host):
            let report = Applier.run(plan, desired: desired, on: &host, log: log)
            self = .linux(host)
            return report
        case .simulated(var host, let store):
            let report = Applier.run(plan, desired: desired, on: &host, log: log)
            try store.save(host)
            self = .simulated(host, store)
            return report
        }
    }
}

/// Config, host and plan, computed the same way by `plan` and `apply`.
struct PlanningContext {
    var host: OpenHost
    var config: SRIOVConfig
    var snapshot: HostSnapshot
    var desired: DesiredHost
    var plan: Plan
    var inUse: [VFHolder]

    /// Reads the config (or takes the one already read), observes the host, resolves and plans.
    static func make(_ options: GlobalOptions, config: SRIOVConfig? = nil, allowMissing: Bool = false,
                     guest: Int? = nil) throws -> PlanningContext {
        let config = try config ?? ConfigFile.load(options.configPath)
        let host = try OpenHost.open(options)
        let snapshot = try host.observer.snapshot()
        // Proxmox VE guests, for `vm =` (none on other hosts and on simulated ones).
        let proxmox = ProxmoxReader(fs: RootedFileSystem(root: options.root))
        let guests = options.simulate == nil && proxmox.isProxmox ? proxmox.guests() : nil
        let desired = try DesiredHost.resolve(config, on: snapshot, allowMissing: allowMissing, guests: guests,
                                              mappings: guests == nil ? [] : proxmox.mappings(), node: proxmox.node)
        let plan = guest.map { Planner.planForGuest(desired, vm: $0) } ?? Planner.plan(desired)
        let inUse = Applier.conflicts(plan, desired: desired, host: host.observer)
        return PlanningContext(host: host, config: config, snapshot: snapshot, desired: desired, plan: plan, inUse: inUse)
    }
}
