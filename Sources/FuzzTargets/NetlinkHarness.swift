import Netlink
import SRIOVHost

enum NetlinkHarness {
    /// A captured dump as `--root` reads it (`run/sriovctl/netlink-dump.bin`: "SRNL" and framed
    /// datagrams), or else the bytes as one datagram of a dump reply to sequence 1.
    /// The same bytes also as a forwarding-table dump and as neighbour events (the watcher's).
    static func runLink(_ bytes: [UInt8]) -> FuzzTarget.Reached {
        if bytes.starts(with: Array("SRNL".utf8)) {
            guard let capture = try? NetlinkCapture(decoding: bytes) else { return .refused }
            _ = try? decodeFDBReply(capture.datagrams, sequence: capture.sequence)
            return (try? decodeLinkReply(capture.datagrams, sequence: capture.sequence)).map(reached) ?? .parsed
        }
        _ = try? messages(in: bytes)
        _ = NeighbourEventSocket.decode(bytes)
        _ = try? decodeFDBReply([bytes], sequence: 1)
        return (try? decodeLinkReply([bytes], sequence: 1)).map(reached) ?? .refused
    }

    /// Links decoded: `used` when one of them has VFs.
    static func reached(_ links: [LinkInfo]) -> FuzzTarget.Reached { links.contains { !($0.vfs ?? []).isEmpty } ? .used : .parsed }

    /// The bytes as the payload of IFLA_VFINFO_LIST in an RTM_NEWLINK that is otherwise valid.
    static func runVF(_ bytes: [UInt8]) -> FuzzTarget.Reached {
        let payload = Array(bytes.prefix(Int(UInt16.max) - 64))
        var attribute = le16(UInt16(4 + payload.count)) + le16(LinkAttribute.vfInfoList) + payload
        while attribute.count % 4 != 0 { attribute.append(0) }
        let ifinfo: [UInt8] = [0, 0, 0, 0] + le32(2) + le32(0x1003) + le32(0)
        let body = ifinfo + attribute
        let header = le32(UInt32(16 + body.count)) + le16(MessageType.newLink) + le16(MessageFlags.multi) + le32(1) + le32(0)
        return (try? decodeLinkReply([header + body], sequence: 1)).map(reached) ?? .refused
    }

    static func runUevent(_ bytes: [UInt8]) -> FuzzTarget.Reached {
        Uevent(bytes) == nil ? .refused : .parsed
    }

    static func le16(_ value: UInt16) -> [UInt8] { [UInt8(value & 0xff), UInt8(value >> 8)] }
    static func le32(_ value: UInt32) -> [UInt8] { (0..<4).map { UInt8((value >> (8 * $0)) & 0xff) } }
}
