/// What `sriovctl watch` waits for, from whichever host it watches: the kernel's device and
/// forwarding-table events, or a simulated host's state changing.
public enum HostEvent: Equatable, Sendable {
    /// A PCI or network device was added, removed or rebound (or events were lost).
    case devices
    /// Forwarding-table entries changed on these links (each entry's own link and its bridge);
    /// nil when events were lost and the tables must be read again in full.
    case forwarding(Set<Int32>?)
}

/// A source of host events for the watcher.
public protocol HostEventSource {
    /// The next event, waiting until `deadline` (monotonic seconds; nil: no deadline). Nil when
    /// the deadline passed first, or when a stop was asked (`StopRequest`).
    mutating func next(until deadline: Double?) throws -> HostEvent?
}
