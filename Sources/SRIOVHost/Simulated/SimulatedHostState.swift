import SRIOVCore

/// What has changed on a simulated host: kept in a state file between invocations, so that
/// `apply` then `status` shows the change.
public struct SimulatedHostState: Codable, Sendable, Equatable {
    /// Keyed by the PF's PCI address.
    public var pfs: [String: PF] = [:]
    public var writes: [String] = []
    /// Who holds which VF (by PCI address), for simulating VMs and processes that use VFs.
    public var holders: [String: String] = [:]

    public init() {}

    public struct PF: Codable, Sendable, Equatable {
        public var numVfs: Int
        public var mtu: Int
        public var linkUp: Bool
        public var autoprobe: Bool
        public var vfs: [VF]
    }

    public struct VF: Codable, Sendable, Equatable {
        public var settings: VFSettings
        public var driver: String?
        public var counters: VFCounters?
    }
}
