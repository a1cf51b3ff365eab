/// A simulated host's events: its state file changing (another sriovctl, or a test, changed the
/// simulated host) is a device event. Read every 0.1 s; the watcher's own changes show up once
/// too, as a real kernel's uevents do.
public struct SimulatedEventSource: HostEventSource {
    let statePath: String
    var seen: [UInt8]?

    public init(statePath: String) {
        self.statePath = statePath
        seen = Self.read(statePath)
    }

    static func read(_ path: String) -> [UInt8]? { try? OSFile.read(path, limit: SimulatedHostStore.maximumStateBytes) }

    public mutating func next(until deadline: Double?) throws -> HostEvent? {
        while !StopRequest.isRequested {
            let now = Self.read(statePath)
            if now != seen {
                seen = now
                return .devices
            }
            if let deadline, monotonicSeconds() >= deadline { return nil }
            let remaining = deadline.map { max(0, $0 - monotonicSeconds()) } ?? 0.1
            pause(seconds: min(remaining, 0.1))
        }
        return nil
    }
}
