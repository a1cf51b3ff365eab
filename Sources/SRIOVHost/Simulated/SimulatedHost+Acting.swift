import SRIOVCore

extension SimulatedHost: HostActing {
    /// The driver a probe without an override binds, as the kernel's pci_device_can_probe: the
    /// PF's VF driver while its autoprobe is on, none while it is off.
    func probedDriver(_ pci: String) -> String? {
        (state.pfs[pci]?.autoprobe ?? true) ? description.pfs.first { $0.pci == pci }?.vfDriver : nil
    }

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
            let driver: String? =
                switch to {
                case .vfioPCI: "vfio-pci"
                case .host: probedDriver(pci)
                case .none: nil
                case .keep: state.pfs[pci]?.vfs[index].driver
                }
            try bindVF(pf: pci, index: index, driver: driver)
        case let .reprobe(index, _):
            // As the kernel does: unbind, then drivers_probe binds the driver it chooses (the
            // PF's VF driver, if autoprobe lets it), whatever name the plan had for it.
            try bindVF(pf: pci, index: index, driver: probedDriver(pci))
        case let .assignToVM(index, vm, slot, pcie, oldSlot, mapping, edit):
            let device = try mapping.map(HostPCIDevice.mapping) ?? .host(vfAddress(step, index))
            try runProxmox(
                ProxmoxCommands.assign(vm: vm, slot: slot, device: device, pcie: pcie, oldSlot: oldSlot, kept: edit?.kept ?? []),
                step: step, vf: index, setting: "vm")
        case let .syncForwardingTable(sync):
            try syncForwardingTable(step, sync)
        case let .syncMapping(id, node, members, otherNodes, exists):
            let snapshot = try snapshot()
            var maps = otherNodes
            for member in members {
                guard let pf = snapshot.pfs.first(where: { $0.pci == member.pf }), let vf = pf.vfs.first(where: { $0.index == member.index })
                else { throw HostError.noSuchDevice("\(member.pf) VF \(member.index)") }
                maps.append(PCIMapping.mapLine(for: vf, of: pf, node: node, keep: member.keep))
            }
            try runProxmox(ProxmoxCommands.syncMapping(id: id, exists: exists, maps: maps), step: step, vf: nil, setting: "mapping \(id)")
        }
    }

    private func vfAddress(_ step: Plan.Step, _ index: Int) throws -> PCIAddress {
        guard let pf = try snapshot().pfs.first(where: { $0.pci == step.pf }), let vf = pf.vfs.first(where: { $0.index == index }) else {
            throw HostError.noSuchDevice("\(step.pfName) VF \(index)")
        }
        return vf.pci
    }

    private mutating func runProxmox(_ argv: [String], step: Plan.Step, vf: Int?, setting: String) throws {
        do {
            _ = try perform(.run(argv))
        } catch {
            throw StepFailure(pf: step.pfName, items: [.init(vf: vf, setting: setting, message: error.description)])
        }
    }

    public func holders(of vfs: [VirtualFunction], on pf: PhysicalFunction) -> [VFHolder] {
        vfs.compactMap { vf in
            state.holders[vf.pci.description].map {
                VFHolder(pf: pf.displayName, index: vf.index, pci: vf.pci, holder: $0)
            }
        } + ProxmoxGuest.runningHolders(of: vfs, on: pf, guests: proxmox.guests())
    }

    /// Starts or stops a simulated Proxmox guest. A start applies what `[PENDING]` holds, as
    /// qemu-server does before it starts QEMU.
    public mutating func setGuest(_ vmid: Int, running: Bool) {
        guard let index = state.guests?.firstIndex(where: { $0.vmid == vmid }) else { return }
        if running, !state.guests![index].running, let pending = state.guests![index].pending {
            for (key, value) in pending { state.guests![index].config[key] = value.isEmpty ? nil : value }
            state.guests![index].pending = nil
        }
        state.guests?[index].running = running
    }

    /// Marks a VF as used (a VM running with it, a process with its VFIO group open).
    public mutating func hold(vf pci: String, by holder: String) {
        state.holders[pci] = holder
    }
}
