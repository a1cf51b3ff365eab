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

    /// The one resolve-and-plan: observes `host`, reads its Proxmox guests, resolves and plans.
    /// With `guest`, only that VM's VF settings are planned (the hookscript's pre-start; none at
    /// post-stop). Forwarding tables (`sync-bridge-fdb`) are planned last, unless `forwarding` is off.
    public static func make(
        _ config: SRIOVConfig, on host: some Host, allowMissing: Bool = false, guest: Int? = nil, phase: GuestPhase = .preStart,
        forwarding: Bool = true
    ) throws -> PlanningContext {
        let snapshot = try host.snapshot()
        let desired = try resolve(config, on: snapshot, proxmox: host.proxmox, allowMissing: allowMissing)
        var plan = guest.map { phase == .preStart ? Planner.planForGuest(desired, vm: $0) : Plan(steps: []) } ?? Planner.plan(desired)
        if forwarding {
            plan.steps += try ForwardingPlanning.steps(
                desired: desired, snapshot: snapshot, host: host, event: guest.map { .init(vmid: $0, phase: phase) })
        }
        return PlanningContext(
            config: config, snapshot: snapshot, desired: desired, plan: plan,
            inUse: Applier.conflicts(plan, desired: desired, host: host))
    }

    /// The config on a snapshot already taken, with the host's Proxmox guests (none elsewhere).
    public static func resolve(
        _ config: SRIOVConfig, on snapshot: HostSnapshot, proxmox: any ProxmoxSource,
        allowMissing: Bool, guests known: [ProxmoxGuest]? = nil, mappings knownMappings: [PCIMapping]? = nil
    )
        throws(ConfigError) -> DesiredHost
    {
        let guests = proxmox.isProxmox ? (known ?? proxmox.guests()) : nil
        return try DesiredHost.resolve(
            config, on: snapshot, allowMissing: allowMissing, guests: guests,
            mappings: guests == nil ? [] : (knownMappings ?? proxmox.mappings()), node: proxmox.node)
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
