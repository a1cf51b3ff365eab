/// What a plan step disturbs, from the least to the most: a guest holding an affected VF sees
/// its link flap, loses its device (the VF is re-created or rebound), or gets a config change at
/// its next start.
public enum Disruption: String, Sendable, CaseIterable, Comparable {
    /// Nothing that runs notices (a VLAN or trust change is what the config asked for).
    case none
    /// A guest's change in `/etc/pve/qemu-server/VMID.conf`: it takes effect at the next start.
    case guestConfigAtNextStart = "guest-config-at-next-start"
    /// The VF's link goes down and up (the PF re-initialises, or the driver resets the VF).
    case vfLinkFlap = "vf-link-flap"
    /// A host-bound VF's driver is restarted (its host interface goes down and up).
    case hostDriverRestart = "host-driver-restart"
    /// The VF is unbound from its driver and bound again: a guest using it loses the device.
    case vfRebound = "vf-rebound"
    /// Every VF of the PF is destroyed and made anew: guests using them lose their devices.
    case vfsRecreated = "vfs-recreated"

    public static func < (a: Disruption, b: Disruption) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }

    /// In words, for the plan.
    public var words: String {
        switch self {
        case .none: "disturbs nothing running"
        case .guestConfigAtNextStart: "changes a guest's config, at its next start"
        case .vfLinkFlap: "the VF's link flaps"
        case .hostDriverRestart: "the VF's host driver restarts: its host interface goes down and up"
        case .vfRebound: "the VF is rebound: a guest using it loses the device"
        case .vfsRecreated: "every VF of the PF is re-created: guests using them lose their devices"
        }
    }
}

extension Plan.Step {
    /// What this step disturbs on a PF driven by `profile` (i40e and ice reset a VF whose MAC is
    /// set; a PF's MTU change re-initialises it, and its VFs' links flap).
    public func disruption(_ profile: DriverProfile) -> Disruption {
        switch action {
        case let .setNumVFs(from, _): from > 0 ? .vfsRecreated : .none
        case .bindDriver: .vfRebound
        case .reprobe: .hostDriverRestart
        case .setMTU: .vfLinkFlap
        case let .setVFs(changes):
            if case .resetsVF = profile.macChange, changes.contains(where: { $0.to.mac != nil }) { .vfLinkFlap } else { .none }
        case .assignToVM: .guestConfigAtNextStart
        case .setLinkUp, .setAutoprobe, .syncMapping, .syncForwardingTable: .none
        }
    }
}

extension Plan {
    /// What each step disturbs, in step order. A VF made by an earlier step of the same plan
    /// has no user yet, so binding or re-probing it disturbs nothing.
    public func disruptions(profile: (PCIAddress) -> DriverProfile) -> [Disruption] {
        var fresh: Set<PCIAddress> = []
        return steps.map { step in
            if case let .setNumVFs(_, to) = step.action, to > 0 { fresh.insert(step.pf) }
            let d = step.disruption(profile(step.pf))
            if fresh.contains(step.pf), d == .vfRebound || d == .hostDriverRestart || d == .vfLinkFlap { return .none }
            return d
        }
    }
}
