import ArgumentParser
import SRIOVCore

// Arguments parsed into what they mean where they are read, so a wrong one is a usage error
// naming the accepted values, and no command checks a string by hand.

extension TrafficOrder: ExpressibleByArgument {}
extension GuestPhase: ExpressibleByArgument {}

/// `PF:INDEX` as typed: the PF (interface name, PCI address or MAC, which have colons of their
/// own, so the index is after the last one) and the VF's index.
struct VFTarget: Sendable, Equatable {
    var pf: String
    var index: Int

    struct Invalid: Error, CustomStringConvertible {
        var description: String { "name the VF as PF:INDEX, for example enp6s0f0:0 (INDEX 0-4095)" }
    }

    static func parse(_ text: String) throws -> VFTarget {
        guard let colon = text.lastIndex(of: ":"), colon != text.startIndex,
            let index = Int(text[text.index(after: colon)...]), (0...4095).contains(index)
        else { throw Invalid() }
        return VFTarget(pf: String(text[..<colon]), index: index)
    }
}
