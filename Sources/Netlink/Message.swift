/// `struct nlmsghdr`.
public struct MessageHeader: Equatable, Sendable {
    public var length: UInt32
    public var type: UInt16
    public var flags: UInt16
    public var sequence: UInt32
    public var portID: UInt32

    public init(length: UInt32, type: UInt16, flags: UInt16, sequence: UInt32, portID: UInt32) {
        self.length = length
        self.type = type
        self.flags = flags
        self.sequence = sequence
        self.portID = portID
    }
}

/// One message inside a received datagram, located by offsets.
public struct Message: Sendable {
    public let header: MessageHeader
    /// Offset of the first byte after the header.
    public let payloadStart: Int
    /// Offset one past the message's last byte (its length, not its padding).
    public let end: Int
}

/// Splits one datagram into its messages. Every length is checked against the bytes present.
public func messages(in bytes: [UInt8]) throws -> [Message] {
    var result: [Message] = []
    var offset = 0
    while offset < bytes.count {
        let left = bytes.count - offset
        guard left >= HeaderSize.message else {
            throw NetlinkDecodeError.truncated(
                what: "message header", offset: offset,
                need: HeaderSize.message, have: left)
        }
        let header = MessageHeader(
            length: bytes.u32(at: offset), type: bytes.u16(at: offset + 4), flags: bytes.u16(at: offset + 6),
            sequence: bytes.u32(at: offset + 8), portID: bytes.u32(at: offset + 12))
        let length = Int(header.length)
        guard length >= HeaderSize.message else {
            throw NetlinkDecodeError.badLength(what: "message", offset: offset, length: length)
        }
        guard length <= left else {
            throw NetlinkDecodeError.truncated(
                what: "message of type \(header.type)", offset: offset,
                need: length, have: left)
        }
        result.append(Message(header: header, payloadStart: offset + HeaderSize.message, end: offset + length))
        offset += align4(length)
    }
    return result
}

/// Builds one request: the header is filled in around `body`.
package func buildMessage(
    type: UInt16, flags: UInt16, sequence: UInt32, portID: UInt32 = 0,
    _ body: (inout ByteWriter) -> Void
) -> [UInt8] {
    var w = ByteWriter()
    w.u32(0)
    w.u16(type)
    w.u16(flags)
    w.u32(sequence)
    w.u32(portID)
    body(&w)
    let length = UInt32(w.bytes.count)
    withUnsafeBytes(of: length) { for (i, b) in $0.enumerated() { w.bytes[i] = b } }
    return w.bytes
}
