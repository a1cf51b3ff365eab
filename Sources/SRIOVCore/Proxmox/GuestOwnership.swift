/// Which guest holds or may take which PCI function, judged as Proxmox judges it, and what
/// Proxmox will refuse.
public struct GuestOwnership: Hashable, Sendable {
    public struct Owner: Hashable, Sendable {
        public var vmid: Int
        public var running: Bool
        public var slot: Int
        /// Set when the function is one of several in a mapping pool: a starting guest gets the
        /// first free one.
        public var pool: String?
        /// The guest is a template: Proxmox never starts it.
        public var template: Bool = false
        /// The guest gets a mediated device made from the function, not the function itself.
        public var mdev: Bool = false

        public init(vmid: Int, running: Bool, slot: Int, pool: String? = nil, template: Bool = false, mdev: Bool = false) {
            self.vmid = vmid
            self.running = running
            self.slot = slot
            self.pool = pool
            self.template = template
            self.mdev = mdev
        }
    }

    /// Every guest whose config names the function (directly, through a one-entry mapping, or as
    /// one of a pool), by address.
    public var owners: [PCIAddress: [Owner]]
    /// The running guest that holds each function now: named directly by a running guest, or
    /// given to it from a pool at its start (`/run/qemu-server/pci-id-reservations`).
    public var holders: [PCIAddress: Owner]
    public var conflicts: [String]
    /// Guests Proxmox would refuse to start, with Proxmox's reason.
    public var refusals: [Int: String]
    /// Lines of guest configs Proxmox ignores, in its words (`VM 100: unable to parse value of
    /// 'hostpci0' - ...`): what a guest will not get though its file names it.
    public var ignoredLines: [String] = []

    public init(owners: [PCIAddress: [Owner]], holders: [PCIAddress: Owner] = [:], conflicts: [String], refusals: [Int: String] = [:]) {
        self.owners = owners
        self.holders = holders
        self.conflicts = conflicts
        self.refusals = refusals
    }

    /// The guest the function belongs to: the running guest that holds it; else the stopped
    /// guest that names it alone (directly or through a one-entry mapping); else a guest making
    /// mediated devices of it, else a template. Nil for a free member of a pool.
    public func owner(of pci: PCIAddress) -> Owner? {
        if let holder = holders[pci] { return holder }
        let all = (owners[pci] ?? []).filter { !($0.running && $0.pool != nil) }
        return all.first { $0.pool == nil && !$0.template && !$0.mdev }
            ?? all.first { $0.mdev } ?? all.first { $0.template && $0.pool == nil }
    }

    /// The guests that may be given the function from a pool when they start.
    public func poolCandidates(of pci: PCIAddress) -> (pool: String, vmids: [Int])? {
        let members = (owners[pci] ?? []).filter { $0.pool != nil && !$0.template }
        guard let pool = members.first?.pool else { return nil }
        return (pool, Array(Set(members.map(\.vmid))).sorted())
    }

    /// Resolves every guest's hostpci lines (`host=` directly, `mapping=` through pci.cfg for
    /// `node`) against the host's functions, with the reservations telling which pool member each
    /// running guest got, and lists conflicts: one function in two guests, a guest naming a device
    /// that is not on this host, and every start Proxmox would refuse (with its reason and fix).
    public static func resolve(
        guests: [ProxmoxGuest], mappings: [PCIMapping], node: String, devices: PCIDeviceList, reservations: [PCIReservation] = []
    ) -> GuestOwnership {
        var owners: [PCIAddress: [Owner]] = [:]
        var holders: [PCIAddress: Owner] = [:]
        var conflicts: [String] = []
        var refusals: [Int: String] = [:]
        let byID = Dictionary(mappings.map { ($0.id, $0) }, uniquingKeysWith: { _, b in b })
        let running = Dictionary(guests.filter { $0.running && !$0.isTemplate }.map { ($0.vmid, $0) }, uniquingKeysWith: { a, _ in a })
        for guest in guests.sorted(by: { $0.vmid < $1.vmid }) {
            if !guest.isTemplate, let refusal = GuestStart.refusal(guest, mappings: byID, node: node, devices: devices) {
                refusals[guest.vmid] = refusal.message
                conflicts.append("VM \(guest.vmid): Proxmox will refuse to start it: \(refusal.message)\(refusal.fix.map { " (\($0))" } ?? "")")
            }
            for reference in guest.references {
                let isRunning = guest.running && !guest.isTemplate
                if let id = reference.mapping {
                    let entries = byID[id]?.entries(on: node) ?? []
                    let pool = entries.count > 1 ? id : nil
                    for entry in entries {
                        for path in entry.paths {
                            for pci in devices.matching(path) {
                                let owner = Owner(
                                    vmid: guest.vmid, running: isRunning, slot: reference.slot, pool: pool, template: guest.isTemplate,
                                    mdev: reference.mdev != nil)
                                owners[pci, default: []].append(owner)
                                if isRunning, reference.mdev == nil, pool == nil { holders[pci] = holders[pci] ?? owner }
                            }
                        }
                    }
                    continue
                }
                for host in reference.hosts {
                    for pci in devices.matching(host) {
                        let owner = Owner(
                            vmid: guest.vmid, running: isRunning, slot: reference.slot, template: guest.isTemplate, mdev: reference.mdev != nil)
                        owners[pci, default: []].append(owner)
                        if isRunning, reference.mdev == nil { holders[pci] = holders[pci] ?? owner }
                    }
                }
            }
        }
        // A pool member a running guest got at its start, as qemu-server recorded it.
        for reservation in reservations {
            guard let guest = running[reservation.vmid], reservation.pid == nil || guest.pid == nil || reservation.pid == guest.pid,
                let named = owners[reservation.pci]?.first(where: { $0.vmid == guest.vmid && !$0.mdev })
            else { continue }
            holders[reservation.pci] = named
        }
        for (pci, list) in owners.sorted(by: { $0.key < $1.key }) {
            let direct = Set(list.filter { $0.pool == nil && !$0.template && !$0.mdev }.map(\.vmid))
            if direct.count > 1 {
                let runningOnes = direct.filter { running[$0] != nil }
                conflicts.append(
                    "\(pci) is given to several VMs: \(direct.sorted().map { "VM \($0)" }.joined(separator: ", "))"
                        + (runningOnes.count > 1 ? "" : " (only one of them can run at a time)"))
            }
        }
        var result = GuestOwnership(owners: owners, holders: holders, conflicts: conflicts, refusals: refusals)
        result.ignoredLines = guests.sorted { $0.vmid < $1.vmid }.flatMap { guest in
            guest.warnings.map { "Proxmox ignores a line of VM \(guest.vmid): \($0)" }
        }
        return result
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
