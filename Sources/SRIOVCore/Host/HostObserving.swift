/// Anything that can report the host's SR-IOV state: the real kernel, a captured tree, a simulation.
public protocol HostObserving: Sendable {
    /// Reads every SR-IOV capable PF and its VFs as they are now; with `withCounters`, also each
    /// VF's traffic counters (per-VF and, for VFs with a host netdev, the netdev's own).
    func snapshot(withCounters: Bool) throws -> HostSnapshot
    /// The snapshot with counters and the time, in seconds on a clock that only goes forward,
    /// that the counters were read at: rates divide by differences of these times.
    func countedSnapshot(clock: @Sendable () -> Double) throws -> (snapshot: HostSnapshot, time: Double)
}

extension HostObserving {
    /// Reads every SR-IOV capable PF and its VFs as they are now, without counters.
    public func snapshot() throws -> HostSnapshot { try snapshot(withCounters: false) }

    /// The kernel answers the dump as it reads it: the time is when the answer is complete.
    public func countedSnapshot(clock: @Sendable () -> Double) throws -> (snapshot: HostSnapshot, time: Double) {
        let snapshot = try snapshot(withCounters: true)
        return (snapshot, clock())
    }
}
