/// A Proxmox guest as sriovctl sees it: its id, whether it runs, its hostpci lines.
public struct ProxmoxGuest: Hashable, Sendable {
    public var vmid: Int
    public var running: Bool
    public var references: [HostPCIReference]
    /// Its network devices on bridges (`netN` lines).
    public var nics: [GuestNIC]
    /// Its hookscript volume (`hookscript: local:snippets/x.sh`), if it has one.
    public var hookscript: String?

    public init(vmid: Int, running: Bool, references: [HostPCIReference], nics: [GuestNIC] = [], hookscript: String? = nil) {
        self.vmid = vmid
        self.running = running
        self.references = references
        self.nics = nics
        self.hookscript = hookscript
    }

    /// A guest from its config text: hostpci lines, network devices and hookscript.
    public init(vmid: Int, running: Bool, config text: String) {
        self.init(
            vmid: vmid, running: running, references: HostPCIReference.parse(vmConfig: text), nics: GuestNIC.parse(vmConfig: text),
            hookscript: Self.hookscript(vmConfig: text))
    }

    /// The `hookscript:` line of the current config (not a snapshot's).
    public static func hookscript(vmConfig text: String) -> String? {
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = rawLine.drop { $0 == " " || $0 == "\t" }
            if line.hasPrefix("[") { break }
            if line.hasPrefix("hookscript:") { return String(line.dropFirst("hookscript:".count)).trimmingSpaces() }
        }
        return nil
    }
}

/// Which guest references which VF, and what is inconsistent.
public struct GuestOwnership: Hashable, Sendable {
    public struct Owner: Hashable, Sendable {
        public var vmid: Int
        public var running: Bool
        public var slot: Int
        /// Set when the VF is one of several in a mapping pool: the guest gets one of them at start.
        public var pool: String?
    }

    /// By VF PCI address.
    public var owners: [PCIAddress: [Owner]]
    public var conflicts: [String]

    /// The guest that owns the VF: the only direct (non-pool) reference, else the first.
    public func owner(of pci: PCIAddress) -> Owner? {
        let all = owners[pci] ?? []
        return all.first { $0.pool == nil } ?? all.first
    }

    /// Resolves every guest's hostpci lines (`host=` directly, `mapping=` through pci.cfg for
    /// `node`) against the VFs of `snapshot`, and lists conflicts: one VF in two guests, a guest
    /// naming a device that is not on this host, a mapping whose IOMMU group no longer matches.
    public static func resolve(
        guests: [ProxmoxGuest], mappings: [PCIMapping], node: String, snapshot: HostSnapshot,
        deviceExists: (PCIAddress) -> Bool
    ) -> GuestOwnership {
        let vfs = snapshot.pfs.flatMap { pf in pf.vfs.map { (pf, $0) } }
        var owners: [PCIAddress: [Owner]] = [:]
        var conflicts: [String] = []
        for guest in guests.sorted(by: { $0.vmid < $1.vmid }) {
            for reference in guest.references {
                if let id = reference.mapping {
                    guard let mapping = mappings.first(where: { $0.id == id }) else {
                        conflicts.append(
                            "VM \(guest.vmid) hostpci\(reference.slot) uses mapping \(id), which /etc/pve/mapping/pci.cfg does not define")
                        continue
                    }
                    let paths = mapping.paths(on: node).compactMap(PCIAddress.init)
                    for entry in mapping.entries where entry.node == node {
                        for path in entry.paths.compactMap(PCIAddress.init) {
                            if let (_, vf) = vfs.first(where: { $0.1.pci == path }), let group = entry.iommuGroup,
                                let now = vf.iommuGroup, group != now
                            {
                                conflicts.append(
                                    "mapping \(id) says \(path) is in IOMMU group \(group), but it is in group \(now) now: Proxmox will refuse to start VM \(guest.vmid) until the mapping is refreshed"
                                )
                            }
                        }
                    }
                    for path in paths where vfs.contains(where: { $0.1.pci == path }) {
                        owners[path, default: []].append(
                            Owner(
                                vmid: guest.vmid, running: guest.running, slot: reference.slot,
                                pool: paths.count > 1 ? id : nil))
                    }
                    continue
                }
                for host in reference.hosts {
                    // This host entry alone (the whole reference would make this quadratic in entries).
                    let entry = HostPCIReference(slot: 0, hosts: [host])
                    let matched = vfs.filter { entry.names($0.1.pci) }
                    if matched.isEmpty, let address = PCIAddress(host), !deviceExists(address) {
                        conflicts.append(
                            "VM \(guest.vmid) hostpci\(reference.slot) names \(address), which is not on this host (a VF that no longer exists, or a removed card): the VM will not start"
                        )
                    }
                    for (_, vf) in matched {
                        owners[vf.pci, default: []].append(Owner(vmid: guest.vmid, running: guest.running, slot: reference.slot, pool: nil))
                    }
                }
            }
        }
        for (pci, list) in owners.sorted(by: { $0.key < $1.key }) {
            let direct = Set(list.filter { $0.pool == nil }.map(\.vmid))
            if direct.count > 1 {
                conflicts.append("\(pci) is given to several VMs: \(direct.sorted().map { "VM \($0)" }.joined(separator: ", "))")
            }
        }
        return GuestOwnership(owners: owners, conflicts: conflicts)
    }
}

extension ProxmoxGuest {
    /// Running guests whose config names one of `vfs` directly: removing or rebinding such a VF
    /// takes a NIC from a running VM. (A pool mapping gives a running VM one of several VFs;
    /// which one shows in the VFIO check, as QEMU holds its group.)
    public static func runningHolders(of vfs: [VirtualFunction], on pf: PhysicalFunction, guests: [ProxmoxGuest]) -> [VFHolder] {
        let running = guests.filter(\.running)
        return vfs.compactMap { vf in
            for guest in running {
                if let reference = guest.references.first(where: { $0.mapping == nil && $0.names(vf.pci) }) {
                    return VFHolder(
                        pf: pf.displayName, index: vf.index, pci: vf.pci,
                        holder: "VM \(guest.vmid) is running with it (hostpci\(reference.slot))")
                }
            }
            return nil
        }
    }
}
