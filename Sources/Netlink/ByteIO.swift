/// Reads native-endian integers (netlink's byte order) from a byte array at absolute offsets.
/// Bounds are checked by callers through `NetlinkDecodeError.truncated`.
extension Array where Element == UInt8 {
    @inline(__always) func u16(at i: Int) -> UInt16 {
        UInt16(littleEndian: UInt16(self[i]) | UInt16(self[i + 1]) << 8)
    }
    @inline(__always) func u32(at i: Int) -> UInt32 {
        UInt32(
            littleEndian: UInt32(self[i]) | UInt32(self[i + 1]) << 8 | UInt32(self[i + 2]) << 16
                | UInt32(self[i + 3]) << 24)
    }
    @inline(__always) func u64(at i: Int) -> UInt64 {
        UInt64(u32(at: i)) | UInt64(u32(at: i + 4)) << 32
    }
    @inline(__always) func i32(at i: Int) -> Int32 { Int32(bitPattern: u32(at: i)) }
}

/// Appends native-endian integers and netlink attributes to a growing byte buffer.
package struct ByteWriter {
    package var bytes: [UInt8] = []

    package init() {}

    package mutating func u8(_ v: UInt8) { bytes.append(v) }
    package mutating func u16(_ v: UInt16) { withUnsafeBytes(of: v) { bytes.append(contentsOf: $0) } }
    package mutating func u32(_ v: UInt32) { withUnsafeBytes(of: v) { bytes.append(contentsOf: $0) } }
    package mutating func i32(_ v: Int32) { u32(UInt32(bitPattern: v)) }
    package mutating func pad() { while bytes.count % 4 != 0 { bytes.append(0) } }

    /// One attribute with a raw payload, padded to alignment.
    package mutating func attribute(_ type: UInt16, _ payload: [UInt8]) {
        u16(UInt16(HeaderSize.attribute + payload.count))
        u16(type)
        bytes.append(contentsOf: payload)
        pad()
    }

    package mutating func attribute(_ type: UInt16, u32 value: UInt32) {
        var w = ByteWriter()
        w.u32(value)
        attribute(type, w.bytes)
    }

    /// A nested attribute whose body is written by `body`; its length is patched afterwards.
    package mutating func nested(_ type: UInt16, _ body: (inout ByteWriter) -> Void) {
        let start = bytes.count
        u16(0)
        u16(type | AttributeTypeBits.nested)
        body(&self)
        // Wraps modulo 2^16 past 64 KiB, as the kernel's nla_nest_end() does (see LinkInfo.swift).
        let length = UInt16(truncatingIfNeeded: bytes.count - start)
        bytes[start] = UInt8(length & 0xff)
        bytes[start + 1] = UInt8(length >> 8)
    }
}
