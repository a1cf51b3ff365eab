/// A 48-bit Ethernet MAC address, printed lower-case with colons as iproute2 and sysfs print it.
public struct MACAddress: Hashable, Sendable, CustomStringConvertible {
    public let bytes: [UInt8]

    /// Takes exactly six bytes; nil otherwise.
    public init?(bytes: [UInt8]) {
        guard bytes.count == 6 else { return nil }
        self.bytes = bytes
    }

    /// Parses `aa:bb:cc:dd:ee:ff` (either case, `-` also accepted as separator).
    public init?(_ text: String) {
        let parts = text.split(separator: text.contains("-") ? "-" : ":", omittingEmptySubsequences: false)
        guard parts.count == 6 else { return nil }
        var bytes: [UInt8] = []
        for part in parts {
            // Hex digits only: UInt8(_:radix:) would also take a sign ("+2").
            guard part.count == 2, part.allSatisfy(\.isHexDigit), let byte = UInt8(part, radix: 16) else { return nil }
            bytes.append(byte)
        }
        self.bytes = bytes
    }

    public static let zero = MACAddress(bytes: [0, 0, 0, 0, 0, 0])!

    public var isZero: Bool { bytes.allSatisfy { $0 == 0 } }
    /// The I/G bit: a group (multicast or broadcast) address cannot be a VF's own address.
    public var isMulticast: Bool { bytes[0] & 0x01 != 0 }
    /// The U/L bit: set on addresses an administrator chose rather than a vendor.
    public var isLocallyAdministered: Bool { bytes[0] & 0x02 != 0 }

    public var description: String {
        bytes.map { byte in
            let digits = String(byte, radix: 16)
            return digits.count == 1 ? "0" + digits : digits
        }.joined(separator: ":")
    }
}
