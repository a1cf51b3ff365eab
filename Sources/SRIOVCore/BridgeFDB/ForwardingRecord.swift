/// The MACs sriovctl put in each PF's own forwarding table (`/run/sriovctl/bridge-fdb.json`):
/// only these are ever removed. It lives under /run because the tables do not survive a reboot.
public struct ForwardingRecord: Hashable, Sendable, Codable {
    public static let path = "/run/sriovctl/bridge-fdb.json"
    /// A record past this size is not sriovctl's: refused rather than read. (64 PFs of
    /// `ForwardingSync.maximumEntries` MACs each fit in about 6 MiB.)
    public static let maximumBytes = 8 << 20

    /// By PF netdev name, MACs as text.
    public var pfs: [String: [String]]

    public init(pfs: [String: [String]] = [:]) { self.pfs = pfs }

    public func macs(of pf: String) -> Set<MACAddress> { Set((pfs[pf] ?? []).compactMap { MACAddress($0) }) }

    public mutating func set(_ macs: Set<MACAddress>, for pf: String) {
        pfs[pf] = macs.isEmpty ? nil : macs.map(\.description).sorted()
    }
}
