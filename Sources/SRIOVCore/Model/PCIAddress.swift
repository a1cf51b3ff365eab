/// A PCI device address in sysfs form, `DDDD:BB:SS.F` (domain, bus, slot, function).
public struct PCIAddress: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let domain: UInt32
    public let bus: UInt8
    public let slot: UInt8
    public let function: UInt8

    public init(domain: UInt32 = 0, bus: UInt8, slot: UInt8, function: UInt8) {
        self.domain = domain
        self.bus = bus
        self.slot = slot & 0x1f
        self.function = function & 0x7
    }

    /// Parses `0000:06:10.0` or the short form `06:10.0` (domain 0). Returns nil for anything else.
    public init?(_ text: String) {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        let domainText: Substring
        let busText: Substring
        let rest: Substring
        switch parts.count {
        case 3: (domainText, busText, rest) = (parts[0], parts[1], parts[2])
        case 2: (domainText, busText, rest) = ("0", parts[0], parts[1])
        default: return nil
        }
        let slotFunction = rest.split(separator: ".", omittingEmptySubsequences: false)
        // Hex digits only: the integer parsers would also take a sign ("+000").
        guard text.allSatisfy({ $0.isHexDigit || $0 == ":" || $0 == "." }), slotFunction.count == 2,
            (1...8).contains(domainText.count), busText.count == 2, slotFunction[0].count == 2,
            slotFunction[1].count == 1,
            let domain = UInt32(domainText, radix: 16), let bus = UInt8(busText, radix: 16),
            let slot = UInt8(slotFunction[0], radix: 16), slot < 32,
            let function = UInt8(slotFunction[1], radix: 16), function < 8
        else { return nil }
        self.init(domain: domain, bus: bus, slot: slot, function: function)
    }

    public var description: String {
        hex(domain, width: 4) + ":" + hex(UInt32(bus), width: 2) + ":" + hex(UInt32(slot), width: 2)
            + "." + String(function, radix: 16)
    }

    public static func < (lhs: PCIAddress, rhs: PCIAddress) -> Bool {
        (lhs.domain, lhs.bus, lhs.slot, lhs.function) < (rhs.domain, rhs.bus, rhs.slot, rhs.function)
    }
}

private func hex(_ value: UInt32, width: Int) -> String {
    let digits = String(value, radix: 16)
    return String(repeating: "0", count: max(0, width - digits.count)) + digits
}
