import SRIOVCore
import SRIOVHost

/// The config resolved against one observation of a host, and the plan from it: what `plan`
/// shows, `apply` acts on, `watch` and the boot re-assert, `check` and `/metrics` count.
public struct PlanningContext: Sendable {
    public var config: SRIOVConfig
    public var snapshot: HostSnapshot
    public var desired: DesiredHost
    public var plan: Plan
    /// VFs the plan would remove or rebind while something uses them.
    public var inUse: [VFHolder]
    /// The PFs whose forwarding tables sriovctl keeps and the bridges over them, by interface
    /// index, as read for the plan: the links whose table events `watch` follows.
    public var watchedLinks: Set<Int32> = []

    /// What each step disturbs, by the driver of its PF (step order).
    public var disruptions: [Disruption] {
        let profiles = Dictionary(snapshot.pfs.map { ($0.pci, DriverProfile.of($0)) }, uniquingKeysWith: { first, _ in first })
        return plan.disruptions { profiles[$0] ?? .of(driver: nil) }
    }

    /// Per guest, what the plan does to it: the running guests that lose or see a flap of a VF
    /// they hold, and the guests whose config changes at their next start.
    public var affectedGuests: [String] {
        var lines: [String] = []
        for holder in inUse where holder.holder.hasPrefix("VM ") {
            lines.append(
                "\(holder.holder.split(separator: " ").prefix(2).joined(separator: " ")): loses \(holder.pf) VF \(holder.index) (\(holder.pci)) while it runs"
            )
        }
        for step in plan.steps {
            if case let .assignToVM(index, vm, slot, _, _, _, edit) = step.action {
                let running = edit?.guestRunning == true || desired.guests?.first { $0.vmid == vm }?.running == true
                lines.append(
                    "VM \(vm): hostpci\(slot) gets \(step.pfName) VF \(index) at its next start\(running ? " (it runs now: restart it for the change)" : "")"
                )
            }
        }
        var seen: Set<String> = []
        return lines.filter { seen.insert($0).inserted }
    }

    /// The one resolve-and-plan: observes `host`, reads its Proxmox guests, resolves and plans.
    /// With `guest`, only that VM's VF settings are planned (the hookscript's pre-start; none at
    /// post-stop). Forwarding tables (`sync-bridge-fdb`) are planned last, unless `forwarding` is off.
    public static func make(
        _ config: SRIOVConfig, on host: some Host, allowMissing: Bool = false, guest: Int? = nil, phase: GuestPhase = .preStart,
        forwarding: Bool = true
    ) throws -> PlanningContext {
        let snapshot = try host.snapshot()
        var capabilities: CapabilityRecord?
        var unusable: String?
        do { capabilities = try CapabilityStore(files: host.files).load() } catch { unusable = "\(error)" }
        var desired = try resolve(
            config, on: snapshot, proxmox: host.proxmox, allowMissing: allowMissing, capabilities: capabilities)
        if let unusable { desired.driverNotes.append("\(unusable); the profiles from the kernel's source are used") }
        var plan = guest.map { phase == .preStart ? Planner.planForGuest(desired, vm: $0) : Plan(steps: []) } ?? Planner.plan(desired)
        var watched: Set<Int32> = []
        if forwarding {
            let tables = try ForwardingPlanning.steps(
                desired: desired, snapshot: snapshot, host: host, event: guest.map { .init(vmid: $0, phase: phase) })
            plan.steps += tables.steps
            watched = tables.watched
        }
        return PlanningContext(
            config: config, snapshot: snapshot, desired: desired, plan: plan,
            inUse: Applier.conflicts(plan, desired: desired, host: host), watchedLinks: watched)
    }

    /// The config on a snapshot already taken, with the host's Proxmox guests (none elsewhere).
    public static func resolve(
        _ config: SRIOVConfig, on snapshot: HostSnapshot, proxmox: any ProxmoxSource,
        allowMissing: Bool, guests known: [ProxmoxGuest]? = nil, mappings knownMappings: [PCIMapping]? = nil,
        capabilities: CapabilityRecord? = nil
    )
        throws(ConfigError) -> DesiredHost
    {
        var config = config
        var deferred: [String] = []
        if proxmox.isProxmox && !proxmox.isMounted, let location = config.firstGuestAssignment {
            // /etc/pve is the bare mount point: no guest can be read, which does not mean none exists.
            guard allowMissing else {
                throw ConfigError([
                    ConfigDiagnostic(
                        location,
                        "Proxmox VE's cluster file system is not mounted (/etc/pve is empty), so no guest can be read: start pve-cluster.service (`systemctl start pve-cluster`), then run again"
                    )
                ])
            }
            // At boot pve-cluster mounts it after the network: the VFs are made now; the guests'
            // configs keep the hostpci lines apply wrote, and are checked once they can be read.
            config = config.withoutGuestAssignments()
            deferred.append(
                "Proxmox VE's /etc/pve is not mounted yet (pve-cluster starts after the network): the VFs are made now; guest assignments (vm =, mapping =) are left as the guests' configs have them, and checked once it is mounted (`sriovctl plan`, or the watcher at its next device event)"
            )
        }
        let guests = proxmox.isProxmox && proxmox.isMounted ? (known ?? proxmox.guests()) : nil
        var desired = try DesiredHost.resolve(
            config, on: snapshot, allowMissing: allowMissing, guests: guests,
            mappings: guests == nil ? [] : (knownMappings ?? proxmox.mappings()), node: proxmox.node, capabilities: capabilities)
        desired.deferred = deferred
        return desired
    }

    /// How many changes the plan makes, as `plan` counts them (one per VF setting group).
    public var changeCount: Int { Self.changeCount(plan) }

    public static func changeCount(_ plan: Plan) -> Int {
        plan.steps.reduce(0) { n, step in
            if case let .setVFs(changes) = step.action { return n + changes.count }
            if case let .syncForwardingTable(sync) = step.action { return n + sync.add.count + sync.remove.count }
            return n + 1
        }
    }
}
