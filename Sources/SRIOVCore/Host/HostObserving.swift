/// Anything that can report the host's SR-IOV state: the real kernel, a captured tree, a simulation.
public protocol HostObserving: Sendable {
    /// Reads every SR-IOV capable PF and its VFs as they are now; with `withCounters`, also each
    /// VF's traffic counters (per-VF and, for VFs with a host netdev, the netdev's own).
    func snapshot(withCounters: Bool) throws -> HostSnapshot
}

extension HostObserving {
    /// Reads every SR-IOV capable PF and its VFs as they are now, without counters.
    public func snapshot() throws -> HostSnapshot { try snapshot(withCounters: false) }
}
