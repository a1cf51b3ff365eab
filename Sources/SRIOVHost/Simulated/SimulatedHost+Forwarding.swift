import SRIOVCore

/// The simulated host's bridges and forwarding tables: links and bridge entries from the
/// description, each link's own table in the state (what `sync-bridge-fdb` changes).
extension SimulatedHost {
    public func bridgeNetwork() throws -> BridgeNetwork {
        let network = description.network ?? .init(links: [])
        var links: [BridgeNetwork.Link] = []
        var indexes: [String: Int] = [:]
        func add(_ name: String, mac: String?) {
            guard indexes[name] == nil else { return }
            indexes[name] = links.count + 1
            links.append(.init(index: links.count + 1, name: name, mac: mac.flatMap(MACAddress.init)))
        }
        for pf in description.pfs { if let name = pf.name { add(name, mac: pf.permanentMac) } }
        for link in network.links { add(link.name, mac: link.mac) }
        for link in network.links {
            guard let i = indexes[link.name] else { continue }
            links[i - 1].kind = link.kind
            links[i - 1].master = link.master.flatMap { indexes[$0] }
            links[i - 1].parent = link.parent.flatMap { indexes[$0] }
            if let mac = link.mac { links[i - 1].mac = MACAddress(mac) }
        }
        var entries: [BridgeNetwork.Entry] = (network.fdb ?? []).compactMap { e in
            guard let mac = MACAddress(e.mac), let device = indexes[e.dev], let bridge = indexes[e.master] else { return nil }
            let state = BridgeNetwork.State(rawValue: e.state ?? "learned") ?? .learned
            return .init(device: device, mac: mac, bridge: bridge, vlan: e.vlan, state: state)
        }
        for (name, macs) in (state.ownFDB ?? [:]).sorted(by: { $0.key < $1.key }) {
            guard let device = indexes[name] else { continue }
            entries += macs.compactMap(MACAddress.init).map { .init(device: device, mac: $0, state: .permanent) }
        }
        return BridgeNetwork(links: links, entries: entries)
    }

    /// As the kernel does: one MAC at a time, a full table refuses (ENOSPC), the rest still take.
    mutating func syncForwardingTable(_ step: Plan.Step, _ sync: ForwardingSync) throws {
        let name = step.pfName
        let size = description.network?.links.first { $0.name == name }?.ownTableSize
        var table = state.ownFDB?[name] ?? []
        var present = Set(table)
        var refused: [MACAddress] = []
        for addition in sync.add where !present.contains(addition.mac.description) {
            if let size, table.count >= size {
                refused.append(addition.mac)
                continue
            }
            table.append(addition.mac.description)
            present.insert(addition.mac.description)
        }
        let removed = Set(sync.remove.map(\.description)).intersection(present)
        if !removed.isEmpty { table.removeAll { removed.contains($0) } }
        // One line per sync, however many MACs: the write log stays small.
        record("\(name)/fdb-self", "+\(sync.add.count - refused.count) -\(removed.count)")
        var all = state.ownFDB ?? [:]
        all[name] = table.isEmpty ? nil : table
        state.ownFDB = all.isEmpty ? nil : all
        if !refused.isEmpty {
            throw StepFailure(
                pf: name, items: [.init(vf: nil, setting: "bridge fdb", message: ForwardingSync.filterFull(refused, errno: "ENOSPC"))])
        }
    }
}
