import NIOConcurrencyHelpers
import NIOCore

/// The server's open connections, in the order they opened, and whether each is being answered.
/// Enforces the connection cap and drives a graceful stop.
final class ConnectionTable: Sendable {
    private struct Entry {
        var channel: any Channel
        var serial: Int
        var busy: Bool
    }

    private struct State {
        var entries: [ObjectIdentifier: Entry] = [:]
        /// Opening order, oldest first from `head`; entries closed since are skipped (their
        /// serial no longer matches) and dropped in amortized constant time.
        var order: [(id: ObjectIdentifier, serial: Int)] = []
        var head = 0
        var serial = 0
        var draining = false
        var evicted = 0

        func isOpen(_ item: (id: ObjectIdentifier, serial: Int)) -> Bool { entries[item.id]?.serial == item.serial }

        mutating func oldestWaiting() -> ObjectIdentifier? {
            while head < order.count, !isOpen(order[head]) { head += 1 }
            return order[head...].first { isOpen($0) && entries[$0.id]?.busy == false }?.id
        }

        mutating func compactIfSparse() {
            guard order.count > 2 * entries.count + 64 else { return }
            order = order[head...].filter { isOpen($0) }
            head = 0
        }
    }

    let limit: Int
    private let state = NIOLockedValueBox(State())

    init(limit: Int) { self.limit = limit }

    /// Registers a new connection. Returns the connection to close to stay under the cap: the
    /// oldest one still waiting for a request, or the new one itself when all are being answered
    /// (or the server is stopping).
    func admit(_ channel: any Channel) -> (any Channel)? {
        state.withLockedValue { state in
            if state.draining { return channel }
            var victim: (any Channel)?
            if state.entries.count >= limit {
                guard let oldest = state.oldestWaiting() else { return channel }
                victim = state.entries.removeValue(forKey: oldest)?.channel
                state.evicted += 1
            }
            state.serial += 1
            state.entries[ObjectIdentifier(channel)] = Entry(channel: channel, serial: state.serial, busy: false)
            state.order.append((ObjectIdentifier(channel), state.serial))
            state.compactIfSparse()
            return victim
        }
    }

    func remove(_ channel: any Channel) {
        state.withLockedValue { state in
            let id = ObjectIdentifier(channel)
            guard state.entries[id]?.channel === channel else { return }
            state.entries[id] = nil
            state.compactIfSparse()
        }
    }

    /// A request has arrived whole: it is being answered.
    func markBusy(_ channel: any Channel, _ busy: Bool) {
        state.withLockedValue { $0.entries[ObjectIdentifier(channel)]?.busy = busy }
    }

    var isDraining: Bool { state.withLockedValue { $0.draining } }
    var count: Int { state.withLockedValue { $0.entries.count } }
    var evictions: Int { state.withLockedValue { $0.evicted } }

    /// Starts a graceful stop: no new connections; returns the idle ones (to close now) and the
    /// busy ones (closed by their handler once answered, or after the drain timeout).
    func drain() -> (idle: [any Channel], busy: [any Channel]) {
        state.withLockedValue { state in
            state.draining = true
            let all = state.entries.values
            return (all.filter { !$0.busy }.map(\.channel), all.filter(\.busy).map(\.channel))
        }
    }
}
