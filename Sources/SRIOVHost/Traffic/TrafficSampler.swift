import SRIOVCore

/// Reads every VF's counters in one go (one netlink dump for all PFs and VF netdevs), with the
/// Proxmox guest of each VF, stamped with a monotonic time.
public struct TrafficSampler: Sendable {
    /// Opens the host for each sample: a simulated host is re-read so that changes made by another
    /// sriovctl (an apply) show up, as they would on the real kernel.
    let openHost: @Sendable () throws -> any Host
    /// Only these PFs (all when empty).
    let selectors: [PFSelector]

    public init(openHost: @escaping @Sendable () throws -> any Host, selectors: [PFSelector] = []) {
        self.openHost = openHost
        self.selectors = selectors
    }

    /// One sample, with what it was made from: the snapshot, and on Proxmox the guests and
    /// mappings (read once, for callers that also plan).
    public struct Observation: Sendable {
        public var sample: TrafficSample
        public var snapshot: HostSnapshot
        public var guests: [ProxmoxGuest]?
        public var mappings: [PCIMapping]
        public var node: String
        /// Whether Proxmox's /etc/pve was mounted (`ProxmoxSource.isMounted`).
        public var proxmoxMounted: Bool
    }

    public func observe() throws -> Observation {
        let host = try openHost()
        let (whole, time) = try host.countedSnapshot(clock: monotonicSeconds)
        let snapshot = selectors.isEmpty ? whole : HostSnapshot(pfs: try whole.select(selectors))
        var owners: [PCIAddress: Int] = [:]
        var guests: [ProxmoxGuest]?
        var mappings: [PCIMapping] = []
        let proxmox = host.proxmox
        if proxmox.isProxmox {
            guests = proxmox.guests()
            mappings = proxmox.mappings()
            let ownership = GuestOwnership.resolve(
                guests: guests ?? [], mappings: mappings, node: proxmox.node, devices: host.pciDevices(),
                reservations: proxmox.reservations())
            for pf in snapshot.pfs {
                for vf in pf.vfs { if let owner = ownership.owner(of: vf.pci) { owners[vf.pci] = owner.vmid } }
            }
        }
        return Observation(
            sample: TrafficSample(time: time, snapshot: snapshot, owners: owners), snapshot: snapshot,
            guests: guests, mappings: mappings, node: proxmox.node, proxmoxMounted: proxmox.isProxmox && proxmox.isMounted)
    }

    /// One sample, and the snapshot it came from.
    public func sample() throws -> (TrafficSample, HostSnapshot) {
        let o = try observe()
        return (o.sample, o.snapshot)
    }
}
