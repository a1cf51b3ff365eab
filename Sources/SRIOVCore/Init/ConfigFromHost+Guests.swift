extension ConfigFromHost {
    /// Which guest and which mapping each VF belongs to, as `vm =`, `slot`, `pcie` and `mapping =`
    /// would say it: mapping membership from pci.cfg for this node, then the guests' hostpci lines
    /// (`host=` naming the VF, or `mapping=` naming its pool). The lowest VM id wins when two
    /// guests name one VF (`check` and `status` report that conflict).
    public static func guests(
        snapshot: HostSnapshot, guests: [ProxmoxGuest], mappings: [PCIMapping], node: String
    ) -> [PCIAddress: Guest] {
        let vfs = Set(snapshot.pfs.flatMap { $0.vfs.map(\.pci) })
        var result: [PCIAddress: Guest] = [:]
        var pools: [String: [PCIAddress]] = [:]
        for mapping in mappings {
            for path in mapping.paths(on: node).compactMap(PCIAddress.init) where vfs.contains(path) && result[path] == nil {
                result[path] = Guest(vm: nil, slot: nil, pcie: false, mapping: mapping.id)
                pools[mapping.id, default: []].append(path)
            }
        }
        for guest in guests.sorted(by: { $0.vmid < $1.vmid }) {
            for reference in guest.references {
                let named: [PCIAddress]
                if let id = reference.mapping {
                    named = pools[id] ?? []
                } else {
                    named = vfs.filter { reference.names($0) }.sorted()
                }
                for pci in named where result[pci]?.vm == nil {
                    result[pci] = Guest(vm: guest.vmid, slot: reference.slot, pcie: reference.pcie, mapping: result[pci]?.mapping)
                }
            }
        }
        return result
    }
}
