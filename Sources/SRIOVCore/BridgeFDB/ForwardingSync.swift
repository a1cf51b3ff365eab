/// What keeping one PF's own forwarding table in step with the bridge over it takes.
///
/// A NIC with VFs switches frames between its functions in hardware, and knows only the VFs' MACs
/// and the MACs in the PF's own table (its unicast filter). A frame from a VF to a guest on a Linux
/// bridge over the PF goes out to the wire and never comes back. Each MAC that lives behind the
/// bridge on another port is put in the PF's table (`bridge fdb add MAC dev PF self`), so the NIC
/// hands those frames to the PF, and the bridge forwards them.
public struct ForwardingSync: Hashable, Sendable {
    public var pf: String
    /// The MACs to add, each with where it lives ("on veth1 of vmbr0").
    public var add: [Addition]
    /// MACs sriovctl added before that no longer live behind the bridge (or the key is off).
    public var remove: [MACAddress]
    /// MACs wanted that were already in the PF's table and not added by sriovctl: left alone.
    public var alreadyThere: Int
    /// The bridges the PF (or its bond, or a VLAN on it) is a port of.
    public var bridges: [String]
    /// MACs wanted but not added: sriovctl keeps at most `maximumEntries` per PF.
    public var overflow = 0

    /// No NIC filter holds more (an i350 port has 32 entries, large NICs a few thousand): past
    /// this, a host (or a hostile description) is not asking for something a NIC can do.
    public static let maximumEntries = 4_096

    public struct Addition: Hashable, Sendable {
        public var mac: MACAddress
        public var location: String

        public init(mac: MACAddress, location: String) {
            self.mac = mac
            self.location = location
        }
    }

    public var isEmpty: Bool { add.isEmpty && remove.isEmpty }

    /// A guest's network device on a bridge, with its VM, for guests running or starting.
    public struct GuestDevice: Hashable, Sendable {
        public var vmid: Int
        public var nic: GuestNIC

        public init(vmid: Int, nic: GuestNIC) {
            self.vmid = vmid
            self.nic = nic
        }
    }

    /// The sync for `pf` (its netdev `name`): with `enabled`, every unicast MAC behind its bridges
    /// and every guest device on them, less what the NIC knows already (the PF's and its VFs'
    /// own MACs); what sriovctl `recorded` adding and is no longer wanted is removed. Entries
    /// sriovctl did not add are never removed.
    public static func plan(
        pf name: String, pfMAC: MACAddress?, vfMACs: Set<MACAddress>, enabled: Bool, network: BridgeNetwork,
        guests: [GuestDevice], recorded: Set<MACAddress>
    ) -> ForwardingSync {
        guard let pf = network.link(named: name) else {
            return ForwardingSync(pf: name, add: [], remove: [], alreadyThere: 0, bridges: [])
        }
        // Links by index, once: a host with thousands of entries is read in one pass.
        let links = Dictionary(network.links.map { ($0.index, $0) }, uniquingKeysWith: { first, _ in first })
        let own = network.ownEntries(of: pf.index)
        let (uplinks, bridgeIndexes) = network.bridges(over: name)
        let bridgeNames = bridgeIndexes.compactMap { links[$0]?.name }.sorted()
        let bridgeNameSet = Set(bridgeNames)
        var wanted: [MACAddress: String] = [:]
        var order: [MACAddress] = []
        func want(_ mac: MACAddress, _ location: @autoclosure () -> String) {
            guard !mac.isMulticast, !mac.isZero, mac != pfMAC, !vfMACs.contains(mac), wanted[mac] == nil else { return }
            wanted[mac] = location()
            order.append(mac)
        }
        if enabled && !bridgeIndexes.isEmpty {
            // In a stable order: the kernel's dump order, or a description's, must not change the plan.
            let entries = network.entries.sorted {
                (links[$0.device]?.name ?? "", $0.mac.description, $0.vlan ?? -1) < (links[$1.device]?.name ?? "", $1.mac.description, $1.vlan ?? -1)
            }
            for entry in entries {
                guard let bridge = entry.bridge, bridgeIndexes.contains(bridge), !uplinks.contains(entry.device) else { continue }
                let bridgeName = links[bridge]?.name ?? "bridge \(bridge)"
                if entry.device == bridge {
                    want(entry.mac, "\(bridgeName)'s own address")
                } else if entry.state != .permanent {
                    // A port's permanent entry is the port's own address (a tap's host side), not a guest.
                    let port = links[entry.device]?.name ?? "port \(entry.device)"
                    want(entry.mac, "on \(port) of \(bridgeName)" + (entry.vlan.map { " (VLAN \($0))" } ?? ""))
                }
            }
            for guest in guests.sorted(by: { ($0.vmid, $0.nic.slot) < ($1.vmid, $1.nic.slot) })
            where bridgeNameSet.contains(guest.nic.bridge) {
                want(guest.nic.mac, "VM \(guest.vmid) net\(guest.nic.slot) on \(guest.nic.bridge)")
            }
        }
        let candidates = order.filter { !own.contains($0) }.sorted { $0.description < $1.description }
        let remove = recorded.intersection(own).filter { wanted[$0] == nil }.sorted { $0.description < $1.description }
        let kept = recorded.intersection(own).count - remove.count
        let room = max(0, maximumEntries - kept)
        let add = candidates.prefix(room).map { Addition(mac: $0, location: wanted[$0]!) }
        let alreadyThere = order.filter { own.contains($0) && !recorded.contains($0) }.count
        var sync = ForwardingSync(pf: name, add: add, remove: remove, alreadyThere: alreadyThere, bridges: bridgeNames)
        sync.overflow = candidates.count - add.count
        return sync
    }

    /// The one message for MACs a PF refused because its address filter is full (said once per PF).
    public static func filterFull(_ macs: [MACAddress], errno: String) -> String {
        let list = macs.prefix(5).map(\.description).joined(separator: ", ") + (macs.count > 5 ? ", ..." : "")
        return "the NIC's address filter is full (\(errno)): \(macs.count) MAC\(macs.count == 1 ? " was" : "s were") not added (\(list)); "
            + "give these guests VFs, or keep fewer guests on this bridge"
    }

    /// What sriovctl has added and is still there, after the sync ran: what it may remove later.
    public static func recordAfter(recorded: Set<MACAddress>, added: [MACAddress], nowInTable: Set<MACAddress>) -> Set<MACAddress> {
        recorded.union(added).intersection(nowInTable)
    }
}
