/// One link as `RTM_NEWLINK` describes it: the `ifinfomsg` header and the attributes sriovctl uses.
public struct LinkInfo: Equatable, Sendable {
    public var index: Int32
    /// `ifi_flags` (IFF_UP = 1, IFF_RUNNING = 0x40, ...).
    public var flags: UInt32
    public var name: String?
    public var address: [UInt8]?
    public var permanentAddress: [UInt8]?
    public var mtu: UInt32?
    /// RFC 2863 operational state: 6 is up (IF_OPER_UP), 2 down, 0 unknown.
    public var operstate: UInt8?
    public var numVFs: UInt32?
    /// The bridge or bond this link is a port of (`IFLA_MASTER`).
    public var master: Int32?
    /// The link a VLAN (or macvlan) sits on (`IFLA_LINK`; for other links, usually itself).
    public var parent: Int32?
    /// What kind of virtual link it is (`IFLA_INFO_KIND`: "bridge", "bond", "vlan", "veth", "tun"); nil for hardware.
    public var kind: String?
    /// The link's own counters (`IFLA_STATS64`), which the kernel sends with every link.
    public var stats: LinkStats? = nil
    /// Present only when the request asked for `RTEXT_FILTER_VF` and the device has a parent.
    public var vfs: [VFInfo]?

    public init(index: Int32, flags: UInt32 = 0) {
        self.index = index
        self.flags = flags
    }

    public static let operUp: UInt8 = 6
    public static let flagUp: UInt32 = 0x1
}

/// The first fields of `struct rtnl_link_stats64`: what a netdev counts for itself.
public struct LinkStats: Equatable, Sendable {
    public var rxPackets: UInt64 = 0
    public var txPackets: UInt64 = 0
    public var rxBytes: UInt64 = 0
    public var txBytes: UInt64 = 0
    public var rxErrors: UInt64 = 0
    public var txErrors: UInt64 = 0
    public var rxDropped: UInt64 = 0
    public var txDropped: UInt64 = 0
    public var multicast: UInt64 = 0

    public init() {}

    /// rx_packets, tx_packets, rx_bytes, tx_bytes, rx_errors, tx_errors, rx_dropped, tx_dropped,
    /// multicast: nine u64 in this order, the layout every kernel since 2.6.35 shares.
    static let decodedFields = 9
}

private func decodeLinkStats(_ bytes: [UInt8], _ a: Attribute) throws -> LinkStats {
    guard a.payloadLength >= LinkStats.decodedFields * 8 else {
        throw NetlinkDecodeError.truncated(
            what: "IFLA_STATS64", offset: a.payloadStart,
            need: LinkStats.decodedFields * 8, have: a.payloadLength)
    }
    let at = { (i: Int) in bytes.u64(at: a.payloadStart + 8 * i) }
    var s = LinkStats()
    s.rxPackets = at(0)
    s.txPackets = at(1)
    s.rxBytes = at(2)
    s.txBytes = at(3)
    s.rxErrors = at(4)
    s.txErrors = at(5)
    s.rxDropped = at(6)
    s.txDropped = at(7)
    s.multicast = at(8)
    return s
}

/// Decodes the payload of an `RTM_NEWLINK` message.
///
/// One kernel quirk is handled here: `IFLA_VFINFO_LIST` of a PF with more than about 220 VFs is
/// longer than the 16-bit attribute length can say, and the kernel's nla_nest_end() lets the
/// length wrap. Every VF is still in the message, and `IFLA_NUM_VF` (sent just before the list)
/// says how many: the list is read by counting VFs, and the attributes after it are found where
/// the last VF ends, not where the wrapped length points.
package func decodeLink(_ bytes: [UInt8], _ message: Message) throws -> LinkInfo {
    let start = message.payloadStart
    let end = message.end
    guard end - start >= HeaderSize.ifinfo else {
        throw NetlinkDecodeError.truncated(
            what: "ifinfomsg", offset: start, need: HeaderSize.ifinfo,
            have: end - start)
    }
    var link = LinkInfo(index: bytes.i32(at: start + 4), flags: bytes.u32(at: start + 8))
    var offset = start + HeaderSize.ifinfo
    while offset < end {
        guard let a = try attributes(in: bytes, from: offset, to: end, context: "link", limit: 1).first else { break }
        var next = offset + align4(a.payloadLength + HeaderSize.attribute)
        switch a.type {
        case LinkAttribute.ifname: link.name = a.string(in: bytes)
        case LinkAttribute.address: link.address = a.raw(in: bytes)
        case LinkAttribute.permAddress: link.permanentAddress = a.raw(in: bytes)
        case LinkAttribute.mtu: link.mtu = try a.u32(in: bytes, "IFLA_MTU")
        case LinkAttribute.operstate: link.operstate = try a.u8(in: bytes, "IFLA_OPERSTATE")
        case LinkAttribute.numVF: link.numVFs = try a.u32(in: bytes, "IFLA_NUM_VF")
        case LinkAttribute.master: link.master = Int32(bitPattern: try a.u32(in: bytes, "IFLA_MASTER"))
        case LinkAttribute.link: link.parent = Int32(bitPattern: try a.u32(in: bytes, "IFLA_LINK"))
        case LinkAttribute.linkInfo:
            for inner in try attributes(in: bytes, from: a.payloadStart, to: a.payloadEnd, context: "IFLA_LINKINFO")
            where inner.type == LinkInfoAttribute.kind {
                link.kind = inner.string(in: bytes)
            }
        case LinkAttribute.stats64: link.stats = try decodeLinkStats(bytes, a)
        case LinkAttribute.vfInfoList:
            let (vfs, listEnd) = try decodeVFInfoList(bytes, a, messageEnd: end, expected: link.numVFs)
            link.vfs = vfs
            next = max(next, align4(listEnd))
        default: break
        }
        offset = next
    }
    return link
}

/// Reads `IFLA_VF_INFO` entries. With the VF count known, entries are read until there are that
/// many, even past the list's (possibly wrapped) length; returns the VFs and where the last ends.
private func decodeVFInfoList(_ bytes: [UInt8], _ list: Attribute, messageEnd: Int, expected: UInt32?)
    throws -> ([VFInfo], Int)
{
    var vfs: [VFInfo] = []
    guard let expected else {
        for info in try attributes(in: bytes, from: list.payloadStart, to: list.payloadEnd, context: "IFLA_VFINFO_LIST")
        where info.type == VFAttribute.info {
            vfs.append(try decodeVFInfo(bytes, info))
        }
        return (vfs, list.payloadEnd)
    }
    var offset = list.payloadStart
    while vfs.count < Int(expected) && offset < messageEnd {
        guard let info = try attributes(in: bytes, from: offset, to: messageEnd, context: "IFLA_VFINFO_LIST", limit: 1).first,
            info.type == VFAttribute.info
        else { break }
        vfs.append(try decodeVFInfo(bytes, info))
        offset += align4(info.payloadLength + HeaderSize.attribute)
    }
    return (vfs, max(offset, list.payloadEnd))
}
