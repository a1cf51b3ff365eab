/// A difference between what the config wants and what the host holds after `apply`.
public struct Mismatch: Hashable, Sendable, CustomStringConvertible {
    public var pf: String
    /// nil for PF-level fields.
    public var vf: Int?
    public var field: String
    public var wanted: String
    public var found: String
    /// True when the driver does not report the field, so it cannot be checked (a warning).
    public var unverifiable: Bool
    /// Why it could not be checked, when that is not the driver (a host tree records programs).
    public var note: String?

    public init(pf: String, vf: Int?, field: String, wanted: String, found: String, unverifiable: Bool) {
        self.pf = pf
        self.vf = vf
        self.field = field
        self.wanted = wanted
        self.found = found
        self.unverifiable = unverifiable
    }

    public var description: String {
        let what = vf.map { "\(pf) VF \($0) \(field)" } ?? "\(pf) \(field)"
        if let note { return "\(what): \(note)" }
        return unverifiable
            ? "\(what): set to \(wanted), but the driver does not report it back to check"
            : "\(what): wanted \(wanted), the host has \(found)"
    }
}

extension DesiredHost {
    /// Compares the desired state with `snapshot`, field by field. Empty when everything took.
    public func mismatches(in snapshot: HostSnapshot) -> [Mismatch] {
        var result: [Mismatch] = []
        for want in pfs {
            let name = want.current.displayName
            guard let pf = snapshot.pfs.first(where: { $0.pci == want.current.pci }) else {
                result.append(Mismatch(pf: name, vf: nil, field: "device", wanted: "present", found: "gone", unverifiable: false))
                continue
            }
            if pf.numVFs != want.numVFs {
                result.append(
                    Mismatch(
                        pf: name, vf: nil, field: "num-vfs", wanted: "\(want.numVFs)", found: "\(pf.numVFs)",
                        unverifiable: false))
            }
            if let mtu = want.mtu, pf.mtu != mtu {
                result.append(
                    Mismatch(
                        pf: name, vf: nil, field: "mtu", wanted: "\(mtu)", found: pf.mtu.map(String.init) ?? "unknown",
                        unverifiable: pf.mtu == nil))
            }
            if let autoprobe = want.autoprobe, pf.autoprobe != autoprobe {
                result.append(
                    Mismatch(
                        pf: name, vf: nil, field: "autoprobe", wanted: "\(autoprobe)",
                        found: pf.autoprobe.map { "\($0)" } ?? "unknown", unverifiable: pf.autoprobe == nil))
            }
            for vf in want.vfs {
                guard let have = pf.vfs.first(where: { $0.index == vf.index }) else {
                    result.append(
                        Mismatch(
                            pf: name, vf: vf.index, field: "device", wanted: "present", found: "missing",
                            unverifiable: false))
                    continue
                }
                for field in VFField.allCases {
                    let wanted = field.text(in: vf.settings)
                    let found = field.text(in: have.settings)
                    if found == nil {
                        if vf.explicit.contains(field), let wanted {
                            result.append(
                                Mismatch(
                                    pf: name, vf: vf.index, field: field.configKey, wanted: wanted, found: "unreported",
                                    unverifiable: true))
                        }
                    } else if let wanted, found != wanted {
                        // (No wanted value: a setting the config leaves alone, such as mac = "keep".)
                        result.append(
                            Mismatch(
                                pf: name, vf: vf.index, field: field.configKey, wanted: wanted,
                                found: found ?? "-", unverifiable: false))
                    }
                }
                let driver = have.driver
                let driverOK: Bool
                switch vf.driver {
                case .keep: driverOK = true
                case .vfioPCI: driverOK = driver == "vfio-pci"
                case .host: driverOK = driver.map(Planner.isHostDriver) ?? false
                case .none: driverOK = driver == nil
                }
                if !driverOK {
                    result.append(
                        Mismatch(
                            pf: name, vf: vf.index, field: "driver", wanted: vf.driver.rawValue,
                            found: driver ?? "none", unverifiable: false))
                }
            }
        }
        return result
    }
}

extension DesiredHost {
    /// VFs the config gives to a VM whose config (re-read after apply) does not name them.
    public func guestMismatches(guests: [ProxmoxGuest], in snapshot: HostSnapshot) -> [Mismatch] {
        var result: [Mismatch] = []
        for want in pfs {
            let pf = snapshot.pfs.first { $0.pci == want.current.pci }
            for vf in want.vfs {
                guard let g = vf.guest else { continue }
                guard let pci = pf?.vfs.first(where: { $0.index == vf.index })?.pci else { continue }
                let references = guests.first { $0.vmid == g.vm }?.nextStartReferences ?? []
                let found =
                    g.mapping.map { pool in references.first { $0.mapping == pool } }
                    ?? references.first { $0.mapping == nil && $0.names(pci) }
                if found == nil || (g.slot != nil && found?.slot != g.slot) || (g.pcie != nil && found?.pcie != g.pcie) {
                    result.append(
                        Mismatch(
                            pf: want.current.displayName, vf: vf.index, field: "vm",
                            wanted:
                                "VM \(g.vm)\(g.slot.map { " hostpci\($0)" } ?? "")\(g.pcie == true ? " pcie" : "")\(g.mapping.map { " mapping \($0)" } ?? "")",
                            found: found.map { "hostpci\($0.slot)\($0.pcie ? " pcie" : "")" } ?? "not in its config",
                            unverifiable: false))
                }
            }
        }
        return result
    }
}

extension DesiredHost {
    /// Mappings whose entries for this node do not name the VFs' live addresses, ids and IOMMU
    /// groups (what Proxmox's `assert_valid` compares at each guest start).
    public func mappingMismatches(mappings: [PCIMapping], in snapshot: HostSnapshot) -> [Mismatch] {
        var wanted: [String: [(pf: PhysicalFunction, vf: VirtualFunction)]] = [:]
        for want in pfs {
            guard let pf = snapshot.pfs.first(where: { $0.pci == want.current.pci }) else { continue }
            for vf in want.vfs {
                guard let id = vf.mapping, let live = pf.vfs.first(where: { $0.index == vf.index }) else { continue }
                wanted[id, default: []].append((pf, live))
            }
        }
        return wanted.keys.sorted().compactMap { id in
            let members = wanted[id]!
            let mapping = mappings.first { $0.id == id }
            if let mapping, mapping.describes(members, on: node) { return nil }
            return Mismatch(
                pf: "mapping \(id)", vf: nil, field: "entries on \(node)",
                wanted: members.map { PCIMapping.mapLine(for: $0.vf, of: $0.pf, node: node) }.sorted().joined(separator: " "),
                found: (mapping?.entries(on: node).map(\.raw) ?? []).sorted().joined(separator: " "),
                unverifiable: false)
        }
    }
}
