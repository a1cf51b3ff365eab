import Netlink
import SRIOVCore

/// Where link-level facts (VF settings, permanent MAC, operstate) come from.
public protocol LinkSource: Sendable {
    /// Every link the source knows, with VF information.
    func links(withStats: Bool) throws -> [LinkInfo]
    /// Every forwarding-table entry: the bridges' and each device's own (`bridge fdb show`).
    func forwardingEntries() throws -> [FDBEntry]
}

/// The running kernel, over one `RTM_GETLINK` dump.
public struct KernelLinkSource: LinkSource {
    public init() {}

    public func links(withStats: Bool) throws -> [LinkInfo] {
        do {
            return try RouteSocket().dumpLinks(withStats: withStats)
        } catch let error as SocketError {
            throw HostError.system(operation: "netlink \(error.call)", target: "NETLINK_ROUTE", errno: error.errno)
        }
    }

    public func forwardingEntries() throws -> [FDBEntry] {
        do {
            return try RouteSocket().dumpForwardingEntries()
        } catch let error as SocketError {
            throw HostError.system(operation: "netlink \(error.call)", target: "NETLINK_ROUTE", errno: error.errno)
        }
    }
}

/// A link dump captured on a host (`sriovctl debug capture-netlink`), replayed through the same
/// decoder; its forwarding-table dump, when captured, beside it.
public struct CapturedLinkSource: LinkSource {
    public let path: String
    public let forwardingPath: String
    let fs: RootedFileSystem

    public init(fs: RootedFileSystem, path: String, forwardingPath: String = LinuxHost.capturedForwardingDumpPath) {
        self.fs = fs
        self.path = path
        self.forwardingPath = forwardingPath
    }

    public func forwardingEntries() throws -> [FDBEntry] {
        guard let bytes = fs.readBytes(forwardingPath) else {
            throw HostError.unreadable(
                path: fs.resolve(forwardingPath),
                reason: "missing: capture it on the host with `sriovctl debug capture-netlink` to plan sync-bridge-fdb here")
        }
        let capture = try NetlinkCapture(decoding: bytes)
        return try decodeFDBReply(capture.datagrams, sequence: capture.sequence)
    }

    public func links(withStats: Bool) throws -> [LinkInfo] {
        guard let bytes = fs.readBytes(path) else {
            throw HostError.unreadable(path: fs.resolve(path), reason: "missing")
        }
        let capture = try NetlinkCapture(decoding: bytes)
        return try decodeLinkReply(capture.datagrams, sequence: capture.sequence)
    }
}

/// The file format of a captured reply: "SRNL", the request's sequence number, then each datagram
/// as a 32-bit little-endian length and its bytes.
public struct NetlinkCapture: Sendable {
    public var sequence: UInt32
    public var datagrams: [[UInt8]]

    static let magic: [UInt8] = Array("SRNL".utf8)

    public init(sequence: UInt32, datagrams: [[UInt8]]) {
        self.sequence = sequence
        self.datagrams = datagrams
    }

    public init(decoding bytes: [UInt8]) throws {
        guard bytes.count >= 8, Array(bytes[0..<4]) == Self.magic else {
            throw HostError.unreadable(path: "netlink capture", reason: "not a capture file (no SRNL header)")
        }
        sequence = le32(bytes, 4)
        datagrams = []
        var offset = 8
        while offset < bytes.count {
            guard offset + 4 <= bytes.count else {
                throw HostError.unreadable(path: "netlink capture", reason: "truncated at byte \(offset)")
            }
            let length = Int(le32(bytes, offset))
            guard offset + 4 + length <= bytes.count else {
                throw HostError.unreadable(path: "netlink capture", reason: "datagram at byte \(offset) is truncated")
            }
            datagrams.append(Array(bytes[(offset + 4)..<(offset + 4 + length)]))
            offset += 4 + length
        }
    }

    public func encoded() -> [UInt8] {
        var out = Self.magic + le32Bytes(sequence)
        for d in datagrams { out += le32Bytes(UInt32(d.count)) + d }
        return out
    }
}

private func le32(_ b: [UInt8], _ i: Int) -> UInt32 {
    UInt32(b[i]) | UInt32(b[i + 1]) << 8 | UInt32(b[i + 2]) << 16 | UInt32(b[i + 3]) << 24
}

private func le32Bytes(_ v: UInt32) -> [UInt8] {
    [UInt8(v & 0xff), UInt8(v >> 8 & 0xff), UInt8(v >> 16 & 0xff), UInt8(v >> 24)]
}
