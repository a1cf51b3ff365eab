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
    /// Present only when the request asked for `RTEXT_FILTER_VF` and the device has a parent.
    public var vfs: [VFInfo]?

    public init(index: Int32, flags: UInt32 = 0) {
        self.index = index
        self.flags = flags
    }

    public static let operUp: UInt8 = 6
    public static let flagUp: UInt32 = 0x1
}

/// Decodes the payload of an `RTM_NEWLINK` message.
func decodeLink(_ bytes: [UInt8], _ message: Message) throws -> LinkInfo {
    let start = message.payloadStart
    guard message.end - start >= HeaderSize.ifinfo else {
        throw NetlinkDecodeError.truncated(what: "ifinfomsg", offset: start, need: HeaderSize.ifinfo,
                                           have: message.end - start)
    }
    var link = LinkInfo(index: bytes.i32(at: start + 4), flags: bytes.u32(at: start + 8))
    for a in try attributes(in: bytes, from: start + HeaderSize.ifinfo, to: message.end, context: "link") {
        switch a.type {
        case LinkAttribute.ifname: link.name = a.string(in: bytes)
        case LinkAttribute.address: link.address = a.raw(in: bytes)
        case LinkAttribute.permAddress: link.permanentAddress = a.raw(in: bytes)
        case LinkAttribute.mtu: link.mtu = try a.u32(in: bytes, "IFLA_MTU")
        case LinkAttribute.operstate: link.operstate = try a.u8(in: bytes, "IFLA_OPERSTATE")
        case LinkAttribute.numVF: link.numVFs = try a.u32(in: bytes, "IFLA_NUM_VF")
        case LinkAttribute.vfInfoList:
            var vfs: [VFInfo] = []
            for info in try attributes(in: bytes, from: a.payloadStart, to: a.payloadEnd, context: "IFLA_VFINFO_LIST")
            where info.type == VFAttribute.info {
                vfs.append(try decodeVFInfo(bytes, info))
            }
            link.vfs = vfs
        default: continue
        }
    }
    return link
}
