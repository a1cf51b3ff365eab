/// An `NLMSG_ERROR` with a non-zero error: the kernel refused a request.
public struct KernelError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The positive errno (EBUSY, EOPNOTSUPP, ...).
    public let errno: Int32
    /// The extended-ack text (`NLMSGERR_ATTR_MSG`), when the kernel gave one.
    public let message: String?
    /// Byte offset in the request of the attribute the kernel blamed (`NLMSGERR_ATTR_OFFS`).
    public let offset: UInt32?

    public init(errno: Int32, message: String? = nil, offset: UInt32? = nil) {
        self.errno = errno
        self.message = message
        self.offset = offset
    }

    public var description: String {
        var text = "kernel error \(errno) (\(errnoName(errno)))"
        if let message, !message.isEmpty { text += ": \(message)" }
        return text
    }
}

/// The outcome of an `NLMSG_ERROR` message: an acknowledgement (error 0) or a refusal.
enum Acknowledgement {
    case ok
    case failed(KernelError)
}

/// Decodes `struct nlmsgerr` (int error; struct nlmsghdr request; ...) and its extended-ack TLVs.
func decodeAcknowledgement(_ bytes: [UInt8], _ message: Message) throws -> Acknowledgement {
    let start = message.payloadStart
    let available = message.end - start
    guard available >= 4 + HeaderSize.message else {
        throw NetlinkDecodeError.truncated(
            what: "error message", offset: start,
            need: 4 + HeaderSize.message, have: available)
    }
    let error = bytes.i32(at: start)
    if error == 0 { return .ok }
    // The kernel sends a negative errno; anything else (Int32.min has no positive) is not a reply.
    guard error < 0, error > -4096 else {
        throw NetlinkDecodeError.badValue(what: "error code", offset: start, value: Int(error))
    }
    // Unless NLM_F_CAPPED, the whole original request is echoed before the TLVs.
    var tlvStart = start + 4 + HeaderSize.message
    if message.header.flags & MessageFlags.capped == 0 {
        tlvStart = start + 4 + align4(Int(bytes.u32(at: start + 4)))
    }
    var text: String?
    var offset: UInt32?
    if message.header.flags & MessageFlags.ackTLVs != 0, tlvStart <= message.end {
        for attribute in try attributes(in: bytes, from: tlvStart, to: message.end, context: "extended ack") {
            switch attribute.type {
            case ExtAckAttribute.message: text = attribute.string(in: bytes)
            case ExtAckAttribute.offset: offset = try attribute.u32(in: bytes, "extended ack offset")
            default: break
            }
        }
    }
    return .failed(KernelError(errno: -error, message: text, offset: offset))
}

/// The errno names people meet with sriovctl (netlink refusals, file and socket errors): the one
/// table, for messages people read.
public func errnoName(_ errno: Int32) -> String {
    errnoNames[errno] ?? "errno \(errno)"
}

private let errnoNames: [Int32: String] = [
    1: "EPERM", 2: "ENOENT", 4: "EINTR", 5: "EIO", 6: "ENXIO", 7: "E2BIG", 9: "EBADF", 11: "EAGAIN", 12: "ENOMEM",
    13: "EACCES", 16: "EBUSY", 17: "EEXIST", 19: "ENODEV", 20: "ENOTDIR", 21: "EISDIR", 22: "EINVAL", 23: "ENFILE",
    24: "EMFILE", 27: "EFBIG", 28: "ENOSPC", 30: "EROFS", 34: "ERANGE", 36: "ENAMETOOLONG", 40: "ELOOP",
    93: "EPROTONOSUPPORT", 95: "EOPNOTSUPP", 98: "EADDRINUSE", 99: "EADDRNOTAVAIL", 100: "ENETDOWN", 110: "ETIMEDOUT",
]
