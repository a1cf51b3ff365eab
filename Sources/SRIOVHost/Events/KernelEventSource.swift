import Netlink

/// This machine's kernel: device events (the uevents udev starts from) and forwarding-table
/// events (RTM_NEWNEIGH/RTM_DELNEIGH of the bridge family).
public struct KernelEventSource: HostEventSource {
    let devices: UeventSocket
    let neighbours: NeighbourEventSocket

    public init() throws {
        devices = try UeventSocket()
        neighbours = try NeighbourEventSocket()
    }

    public mutating func next(until deadline: Double?) throws -> HostEvent? {
        // Sleeps in poll until an event, the deadline or a stop (its pipe becomes readable).
        let watched = [devices.descriptor, neighbours.descriptor] + (StopRequest.descriptor >= 0 ? [StopRequest.descriptor] : [])
        while !StopRequest.isRequested {
            let ready = try waitReadable(watched, timeout: deadline.map { max(0, $0 - monotonicSeconds()) } ?? -1)
            if ready[0], let event = try devices.next(timeout: 0), event == .overflow || ["pci", "net"].contains(event.subsystem ?? "") {
                return .devices
            }
            if ready[1] {
                let changes = try neighbours.drain()
                return .forwarding(changes.map(Self.links(of:)))
            }
            if let deadline, monotonicSeconds() >= deadline { return nil }
        }
        return nil
    }

    /// The links forwarding-table changes touch: each entry's own link and its bridge.
    public static func links(of events: [FDBEvent]) -> Set<Int32> {
        Set(events.flatMap { [$0.entry.index] + ($0.entry.master.map { [$0] } ?? []) })
    }
}
