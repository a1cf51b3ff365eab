import Netlink
import SRIOVCore

/// The forwarding tables over rtnetlink (`bridge fdb`'s requests, without the program).
extension LinuxHost {
    public func bridgeNetwork() throws -> BridgeNetwork {
        guard let links else {
            throw HostError.unreadable(
                path: fs.resolve(Self.capturedDumpPath), reason: "missing: no link dump to find bridges in")
        }
        return BridgeNetwork(netlinkLinks: try links.links(withStats: false), entries: try links.forwardingEntries())
    }

    /// Adds and removes MACs in the PF's own table, one acknowledged request each, so a refusal
    /// names its MAC and the others still take. Under a root, the `bridge` commands are recorded.
    func syncForwardingTable(_ step: Plan.Step, _ sync: ForwardingSync) throws {
        if recorder != nil {
            for addition in sync.add {
                try recordInstead(["bridge", "fdb", "replace", addition.mac.description, "dev", step.pfName, "self", "permanent"], step)
            }
            for mac in sync.remove { try recordInstead(["bridge", "fdb", "del", mac.description, "dev", step.pfName, "self"], step) }
            return
        }
        let socket = try openSocket()
        guard let link = try socket.link(name: step.pfName, withStats: false) else { throw HostError.noSuchDevice(step.pfName) }
        var failures: [StepFailure.Item] = []
        var full: (macs: [MACAddress], errno: Int32) = ([], 0)
        for (mac, present) in sync.add.map({ ($0.mac, true) }) + sync.remove.map({ ($0, false) }) {
            do {
                try socket.setOwnForwardingEntry(index: link.index, mac: mac.bytes, present: present)
            } catch let error as KernelError {
                if present, error.errno == 28 || error.errno == 12 {
                    full = (full.macs + [mac], error.errno)  // said once for the PF, below
                } else if error.errno == 95 {
                    // The same for every MAC: once is enough.
                    throw StepFailure(
                        pf: step.pfName,
                        items: [.init(vf: nil, setting: "bridge fdb", message: "the driver keeps no forwarding table of its own (EOPNOTSUPP)")])
                } else {
                    failures.append(.init(vf: nil, setting: "bridge fdb \(mac)", message: explain(error, setting: "forwarding entry \(mac)")))
                }
            }
        }
        if !full.macs.isEmpty {
            failures.append(.init(vf: nil, setting: "bridge fdb", message: ForwardingSync.filterFull(full.macs, errno: errnoName(full.errno))))
        }
        if !failures.isEmpty { throw StepFailure(pf: step.pfName, items: failures) }
    }
}

extension BridgeNetwork {
    /// The network as a link dump and a forwarding-table dump give it.
    public init(netlinkLinks: [LinkInfo], entries: [FDBEntry]) {
        let links = netlinkLinks.compactMap { l -> Link? in
            guard let name = l.name else { return nil }
            return Link(
                index: Int(l.index), name: name, kind: l.kind, master: l.master.map(Int.init),
                parent: l.parent.map(Int.init), mac: l.address.flatMap { MACAddress(bytes: $0) })
        }
        self.init(
            links: links,
            entries: entries.compactMap { e in
                guard let mac = MACAddress(bytes: e.mac) else { return nil }
                let state: State =
                    e.state & NeighbourBits.statePermanent != 0 ? .permanent : e.state & NeighbourBits.stateNoARP != 0 ? .static : .learned
                return Entry(device: Int(e.index), mac: mac, bridge: e.master.map(Int.init), vlan: e.vlan.map(Int.init), state: state)
            })
    }
}
