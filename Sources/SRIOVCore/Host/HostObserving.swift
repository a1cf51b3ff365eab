/// Anything that can report the host's SR-IOV state: the real kernel, a captured tree, a simulation.
public protocol HostObserving: Sendable {
    /// Reads every SR-IOV capable PF and its VFs as they are now.
    func snapshot() throws -> HostSnapshot
}
