/// What Proxmox checks of a guest's hostpci lines when it starts (qemu-server
/// `src/PVE/QemuServer/PCI.pm`: `parse_hostpci`, `parse_hostpci_devices`,
/// `choose_hostpci_devices`), in its order, with its words: the first failure refuses the start.
public enum GuestStart {
    public struct Refusal: Hashable, Sendable {
        public var message: String
        /// What to do, where sriovctl knows.
        public var fix: String?
    }

    public static func refusal(_ guest: ProxmoxGuest, mappings: [String: PCIMapping], node: String, devices: PCIDeviceList) -> Refusal? {
        var used: Set<PCIAddress> = []
        for reference in guest.nextStartReferences.sorted(by: { $0.slot < $1.slot }) {
            var alternatives: [[String]] = []
            if !reference.hosts.isEmpty && reference.mapping != nil {
                return Refusal(message: "Cannot set both 'host' and 'mapping'.", fix: "keep one of them in hostpci\(reference.slot)")
            }
            if let id = reference.mapping {
                guard let mapping = mappings[id], !mapping.entries(on: node).isEmpty else {
                    return Refusal(
                        message: "PCI device mapping not found for '\(id)'",
                        fix: "mapping \(id) has no valid entry for node \(node) in /etc/pve/mapping/pci.cfg (each needs id=, node= and path=)")
                }
                for entry in mapping.entries(on: node) {
                    if let problem = MappingValidity.problem(mapping: mapping, entry: entry, devices: devices) {
                        return Refusal(
                            message: "PCI device mapping invalid (hardware probably changed): \(problem)",
                            fix:
                                "refresh mapping \(id) (Datacenter > Resource Mappings, or `mapping = \"\(id)\"` in sriovctl's config and `sriovctl apply`)"
                        )
                    }
                    alternatives.append(entry.paths)
                }
            } else if !reference.hosts.isEmpty {
                alternatives.append(reference.hosts)
            } else {
                return Refusal(message: "Either 'host' or 'mapping' must be set.", fix: "hostpci\(reference.slot) names no device")
            }
            var chosen: [[PCIAddress]] = []
            for alternative in alternatives {
                var ids: [PCIAddress] = []
                for name in alternative {
                    let found = devices.matching(name)
                    if !devices.exists(name) {
                        return Refusal(
                            message: "no PCI device found for '\(name)'",
                            fix: "a VF that no longer exists or a removed card: create the VFs (`sriovctl apply`) or remove hostpci\(reference.slot)")
                    }
                    ids += found
                }
                chosen.append(ids)
            }
            if !guest.isQ35 && reference.pcie {
                return Refusal(message: "q35 machine model is not enabled", fix: "set machine: q35, or remove pcie=1 from hostpci\(reference.slot)")
            }
            if chosen.count == 1, reference.mdev == nil {
                for pci in chosen[0] where !used.insert(pci).inserted {
                    return Refusal(message: "device '\(pci)' assigned more than once", fix: "remove one of the hostpci lines naming \(pci)")
                }
            }
        }
        return nil
    }
}
