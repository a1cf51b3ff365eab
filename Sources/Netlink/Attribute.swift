/// One netlink attribute (`struct nlattr` + payload) inside a byte buffer, by offsets, no copy.
public struct Attribute: Sendable {
    /// The type without the NESTED and NET_BYTEORDER bits.
    public let type: UInt16
    /// Offset of the payload in `bytes`.
    public let payloadStart: Int
    public let payloadLength: Int

    var payloadEnd: Int { payloadStart + payloadLength }
}

/// Splits `bytes[start..<end]` into attributes. Stops cleanly at `end`; a header or payload running
/// past `end` is an error, never a crash.
package func attributes(in bytes: [UInt8], from start: Int, to end: Int, context: String, limit: Int = .max) throws -> [Attribute] {
    var result: [Attribute] = []
    var offset = start
    while offset < end && result.count < limit {
        let left = end - offset
        guard left >= HeaderSize.attribute else {
            throw NetlinkDecodeError.truncated(
                what: "\(context) attribute header", offset: offset,
                need: HeaderSize.attribute, have: left)
        }
        let length = Int(bytes.u16(at: offset))
        let type = bytes.u16(at: offset + 2) & AttributeTypeBits.mask
        guard length >= HeaderSize.attribute else {
            throw NetlinkDecodeError.badLength(what: "\(context) attribute \(type)", offset: offset, length: length)
        }
        guard length <= left else {
            throw NetlinkDecodeError.truncated(
                what: "\(context) attribute \(type)", offset: offset,
                need: length, have: left)
        }
        result.append(
            Attribute(
                type: type, payloadStart: offset + HeaderSize.attribute,
                payloadLength: length - HeaderSize.attribute))
        offset += align4(length)
    }
    return result
}

extension Attribute {
    /// Requires at least `size` payload bytes, naming the attribute when they are missing.
    func require(_ size: Int, _ what: String) throws {
        guard payloadLength >= size else {
            throw NetlinkDecodeError.truncated(what: what, offset: payloadStart, need: size, have: payloadLength)
        }
    }

    func u32(in bytes: [UInt8], _ what: String) throws -> UInt32 {
        try require(4, what)
        return bytes.u32(at: payloadStart)
    }

    func u8(in bytes: [UInt8], _ what: String) throws -> UInt8 {
        try require(1, what)
        return bytes[payloadStart]
    }

    func string(in bytes: [UInt8]) -> String {
        var end = payloadStart
        while end < payloadEnd && bytes[end] != 0 { end += 1 }
        return String(decoding: bytes[payloadStart..<end], as: UTF8.self)
    }

    func raw(in bytes: [UInt8]) -> [UInt8] { Array(bytes[payloadStart..<payloadEnd]) }
}
