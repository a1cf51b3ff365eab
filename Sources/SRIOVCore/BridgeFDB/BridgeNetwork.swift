/// The host's links and forwarding tables, as far as keeping a PF's own table in step with the
/// bridge over it needs: which link is a port of which bridge or bond, and which MACs each
/// bridge has on which port.
public struct BridgeNetwork: Hashable, Sendable {
    public var links: [Link]
    public var entries: [Entry]

    public init(links: [Link] = [], entries: [Entry] = []) {
        self.links = links
        self.entries = entries
    }

    public struct Link: Hashable, Sendable {
        public var index: Int
        public var name: String
        /// "bridge", "bond", "vlan", "veth", "tun"...; nil for a hardware port.
        public var kind: String?
        /// The bridge or bond this link is a port of.
        public var master: Int?
        /// The link a VLAN sits on.
        public var parent: Int?
        public var mac: MACAddress?

        public init(index: Int, name: String, kind: String? = nil, master: Int? = nil, parent: Int? = nil, mac: MACAddress? = nil) {
            self.index = index
            self.name = name
            self.kind = kind
            self.master = master
            self.parent = parent
            self.mac = mac
        }
    }

    public struct Entry: Hashable, Sendable {
        /// The device the MAC is on: a bridge port, the bridge itself, or a NIC (its own table).
        public var device: Int
        public var mac: MACAddress
        /// The bridge whose table holds it; nil for a device's own table (`self`).
        public var bridge: Int?
        public var vlan: Int?
        public var state: State

        public init(device: Int, mac: MACAddress, bridge: Int? = nil, vlan: Int? = nil, state: State) {
            self.device = device
            self.mac = mac
            self.bridge = bridge
            self.vlan = vlan
            self.state = state
        }
    }

    /// How the entry came to be, from `NUD_*`.
    public enum State: String, Hashable, Sendable, Codable {
        /// Learned from a frame the port received (reachable or stale): a guest or host behind it.
        case learned
        /// Added by hand or by a program (`bridge fdb add ... master static`).
        case `static`
        /// The address of the port or bridge itself (`permanent`), or a device's own-table entry.
        case permanent
    }

    public func link(_ index: Int) -> Link? { links.first { $0.index == index } }
    public func link(named name: String) -> Link? { links.first { $0.name == name } }

    /// The links a PF's frames leave by (the PF, the bond it is in, VLANs on either) and the
    /// bridges those are ports of; both empty when no link has that name.
    public func bridges(over pf: String) -> (uplinks: Set<Int>, bridges: Set<Int>) {
        guard let link = link(named: pf) else { return ([], []) }
        let byIndex = Dictionary(links.map { ($0.index, $0) }, uniquingKeysWith: { first, _ in first })
        var uplinks: Set<Int> = [link.index]
        if let master = link.master, byIndex[master]?.kind == "bond" { uplinks.insert(master) }
        for other in links where other.kind == "vlan" {
            if let parent = other.parent, uplinks.contains(parent) { uplinks.insert(other.index) }
        }
        return (uplinks, Set(uplinks.compactMap { byIndex[$0]?.master }.filter { byIndex[$0]?.kind == "bridge" }))
    }

    /// The MACs in the device's own table (`bridge fdb show dev DEV self`), unicast only.
    public func ownEntries(of device: Int) -> Set<MACAddress> {
        Set(entries.filter { $0.device == device && $0.bridge == nil && !$0.mac.isMulticast }.map(\.mac))
    }
}
