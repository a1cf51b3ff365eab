/// A PF named by a person: interface name, PCI address, or permanent MAC.
public enum PFSelector: Hashable, Sendable, CustomStringConvertible {
    case name(String)
    case pci(PCIAddress)
    case mac(MACAddress)

    /// Reads what a person typed: a PCI address or MAC when it parses as one, else an interface name.
    public init(_ text: String) {
        if let pci = PCIAddress(text) {
            self = .pci(pci)
        } else if let mac = MACAddress(text) {
            self = .mac(mac)
        } else {
            self = .name(text)
        }
    }

    public func matches(_ pf: PhysicalFunction) -> Bool {
        switch self {
        case let .name(name): pf.name == name
        case let .pci(pci): pf.pci == pci
        case let .mac(mac): pf.permanentMAC == mac || (pf.permanentMAC == nil && pf.mac == mac)
        }
    }

    public var description: String {
        switch self {
        case let .name(n): n
        case let .pci(p): p.description
        case let .mac(m): m.description
        }
    }
}

/// A PF selector that matched nothing on the host.
public struct UnknownPFError: Error, Equatable, Sendable, CustomStringConvertible {
    public let selectors: [String]
    public let known: [String]

    public var description: String {
        let what =
            selectors.count == 1
            ? "no SR-IOV capable PF named \(selectors[0])"
            : "no SR-IOV capable PFs named \(selectors.joined(separator: ", "))"
        let list = known.isEmpty ? "this host has none" : "this host has: \(known.joined(separator: ", "))"
        return "\(what) (\(list)). Name a PF by interface, PCI address or permanent MAC; `sriovctl status` lists them."
    }
}

extension HostSnapshot {
    /// The PFs the selectors name, in host order; all of them when there are no selectors.
    public func select(_ selectors: [PFSelector]) throws -> [PhysicalFunction] {
        guard !selectors.isEmpty else { return pfs }
        let missing = selectors.filter { s in !pfs.contains(where: s.matches) }
        guard missing.isEmpty else {
            throw UnknownPFError(
                selectors: missing.map(\.description),
                known: pfs.map { pf in pf.name.map { "\($0) (\(pf.pci))" } ?? pf.pci.description })
        }
        return pfs.filter { pf in selectors.contains { $0.matches(pf) } }
    }
}
