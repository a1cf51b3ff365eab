import SRIOVCore

extension SimulatedHost: HostActing {
    public mutating func perform(_ step: Plan.Step) throws {
        let pci = step.pf.description
        switch step.action {
        case .setLinkUp:
            try setLinkUp(pf: pci, true)
        case let .setMTU(_, to):
            try setMTU(pf: pci, to: to)
        case let .setAutoprobe(_, to):
            try setAutoprobe(pf: pci, to)
        case let .setNumVFs(_, to):
            try setNumVFs(pf: pci, to: to)
        case let .setVFs(changes):
            // As the kernel does after a refused batch: each VF, each setting group on its own,
            // so the failure names exactly what was refused and everything else still takes.
            var failures: [StepFailure.Item] = []
            for change in changes {
                for call in change.kernelCalls {
                    do {
                        try setVF(pf: pci, index: change.index, call.settings)
                    } catch {
                        failures.append(.init(vf: change.index, setting: call.name, message: "\(error)"))
                    }
                }
            }
            if !failures.isEmpty { throw StepFailure(pf: step.pfName, items: failures) }
        case let .bindDriver(index, _, to):
            let pf = description.pfs.first { $0.pci == pci }
            let driver: String? = switch to {
            case .vfioPCI: "vfio-pci"
            case .host: pf?.vfDriver
            case .none: nil
            case .keep: state.pfs[pci]?.vfs[index].driver
            }
            try bindVF(pf: pci, index: index, driver: driver)
        case let .reprobe(index, _):
            // As the kernel does: unbind, then drivers_probe binds the driver it chooses (the
            // PF's VF driver), whatever name the plan had for it.
            let pf = description.pfs.first { $0.pci == pci }
            try bindVF(pf: pci, index: index, driver: pf?.vfDriver)
        case .assignToVM, .syncMapping:
            // Resolving refuses `vm =` on a host without /etc/pve, which a simulated host is.
            throw HostError.noSuchDevice("Proxmox VE on a simulated host")
        }
    }

    public func holders(of vfs: [VirtualFunction], on pf: PhysicalFunction) -> [VFHolder] {
        vfs.compactMap { vf in
            state.holders[vf.pci.description].map {
                VFHolder(pf: pf.displayName, index: vf.index, pci: vf.pci, holder: $0)
            }
        }
    }

    /// Marks a VF as used (a VM running with it, a process with its VFIO group open).
    public mutating func hold(vf pci: String, by holder: String) {
        state.holders[pci] = holder
    }
}
