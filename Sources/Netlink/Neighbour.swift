/// One forwarding-table entry as `RTM_NEWNEIGH`/`RTM_DELNEIGH` of family `AF_BRIDGE` describes
/// it (what `bridge fdb show` prints): a MAC on a device, in a bridge's table (`master`) or in the
/// device's own (`NTF_SELF`: for a NIC, its unicast filter).
public struct FDBEntry: Equatable, Hashable, Sendable {
    /// The device the MAC is on (a bridge port, a bridge, or a NIC for its own table).
    public var index: Int32
    /// `NUD_*` state: reachable/stale (learned), noarp (static), permanent (local or own).
    public var state: UInt16
    /// `NTF_*` flags.
    public var flags: UInt8
    public var mac: [UInt8]
    /// The bridge whose table holds the entry (`NDA_MASTER`); nil for a device's own entry.
    public var master: Int32?
    /// The VLAN of the entry in a VLAN-aware bridge (`NDA_VLAN`).
    public var vlan: UInt16?

    public init(index: Int32, state: UInt16, flags: UInt8, mac: [UInt8], master: Int32? = nil, vlan: UInt16? = nil) {
        self.index = index
        self.state = state
        self.flags = flags
        self.mac = mac
        self.master = master
        self.vlan = vlan
    }

    /// In the device's own table (`bridge fdb ... self`).
    public var isSelf: Bool { flags & NeighbourBits.flagSelf != 0 && master == nil }
}

/// Decodes the payload of an `RTM_NEWNEIGH` or `RTM_DELNEIGH` message of family `AF_BRIDGE`.
package func decodeFDBEntry(_ bytes: [UInt8], _ message: Message) throws -> FDBEntry? {
    let start = message.payloadStart
    let end = message.end
    guard end - start >= HeaderSize.ndmsg else {
        throw NetlinkDecodeError.truncated(what: "ndmsg", offset: start, need: HeaderSize.ndmsg, have: end - start)
    }
    // ARP and NDP neighbours share the message type: only AF_BRIDGE entries are forwarding entries.
    guard bytes[start] == NeighbourBits.familyBridge else { return nil }
    var entry = FDBEntry(
        index: bytes.i32(at: start + 4), state: bytes.u16(at: start + 8), flags: bytes[start + 10], mac: [])
    var mac: [UInt8]?
    for a in try attributes(in: bytes, from: start + HeaderSize.ndmsg, to: end, context: "neighbour") {
        switch a.type {
        case NeighbourAttribute.lladdr: mac = a.raw(in: bytes)
        case NeighbourAttribute.master: entry.master = Int32(bitPattern: try a.u32(in: bytes, "NDA_MASTER"))
        case NeighbourAttribute.vlan:
            try a.require(2, "NDA_VLAN")
            entry.vlan = bytes.u16(at: a.payloadStart)
        default: break
        }
    }
    guard let mac, mac.count == 6 else {
        throw NetlinkDecodeError.truncated(what: "NDA_LLADDR (6 bytes)", offset: start, need: 6, have: mac?.count ?? 0)
    }
    entry.mac = mac
    return entry
}

/// Builders for forwarding-table requests.
public enum NeighbourRequest {
    /// `RTM_GETNEIGH` dump of every forwarding-table entry: every bridge's, and every device's own.
    /// The header is exactly an `ndmsg`, so the kernel applies no filter.
    public static func dump(sequence: UInt32) -> [UInt8] {
        buildMessage(type: MessageType.getNeighbour, flags: MessageFlags.request | MessageFlags.dump, sequence: sequence) { w in
            ndmsg(&w, index: 0, state: 0, flags: 0)
        }
    }

    /// `bridge fdb replace MAC dev DEV self`: the MAC in the device's own table (for a NIC, its
    /// unicast filter, so its internal switch delivers frames for the MAC to the device), acknowledged.
    /// Only `NTF_SELF`: without it, a bridge port's request would go to the bridge's table instead.
    public static func addSelf(index: Int32, mac: [UInt8], sequence: UInt32) -> [UInt8] {
        let flags = MessageFlags.request | MessageFlags.ack | MessageFlags.create | MessageFlags.replace
        return buildMessage(type: MessageType.newNeighbour, flags: flags, sequence: sequence) { w in
            ndmsg(&w, index: index, state: NeighbourBits.statePermanent, flags: NeighbourBits.flagSelf)
            w.attribute(NeighbourAttribute.lladdr, mac)
        }
    }

    /// `bridge fdb del MAC dev DEV self`, acknowledged.
    public static func deleteSelf(index: Int32, mac: [UInt8], sequence: UInt32) -> [UInt8] {
        buildMessage(type: MessageType.deleteNeighbour, flags: MessageFlags.request | MessageFlags.ack, sequence: sequence) { w in
            ndmsg(&w, index: index, state: NeighbourBits.statePermanent, flags: NeighbourBits.flagSelf)
            w.attribute(NeighbourAttribute.lladdr, mac)
        }
    }

    /// `struct ndmsg`: family, two pad bytes... then ifindex, state, flags, type.
    private static func ndmsg(_ w: inout ByteWriter, index: Int32, state: UInt16, flags: UInt8) {
        w.u8(NeighbourBits.familyBridge)
        w.u8(0)
        w.u16(0)
        w.i32(index)
        w.u16(state)
        w.u8(flags)
        w.u8(0)  // ndm_type
    }
}
