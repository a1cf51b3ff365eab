import Logging
import Netlink
import SRIOVCore
import SRIOVHost

/// `sriovctl watch`: re-applies the config when a PF's VFs disappear or its driver comes back,
/// and keeps `sync-bridge-fdb` tables in step with the bridges. Listens to the kernel's device
/// events and to forwarding-table events; after a burst of PCI or network events has been quiet
/// for `settle` seconds (a bridge learning or forgetting a MAC: `forwardingSettle`), it plans,
/// and applies when something drifted.
public struct Watcher {
    public let selection: HostSelection
    public let settle: Double
    public let logger: Logger

    public init(selection: HostSelection, settle: Double, logger: Logger) {
        self.selection = selection
        self.settle = settle
        self.logger = logger
    }

    /// A bridge that learned a MAC is answered quickly: a new guest must be reachable from VF
    /// guests within 2 s of its first frame.
    public static let forwardingSettle = 0.2

    public func run() throws -> Never {
        let events = try UeventSocket()
        let neighbours = try NeighbourEventSocket()
        logger.info("watching for PF resets, VF changes and bridge forwarding tables (config \(selection.configPath))")
        // Only events on PFs that sync and the bridges over them matter (none: all are skipped).
        // A check reports them from what it read; one that failed leaves them to be read anew.
        var watched = check() ?? ForwardingPlanning.watchedLinks(on: selection)
        var deadline: Double?
        while true {
            let timeout = deadline.map { max(0, $0 - monotonicSeconds()) } ?? -1
            let ready = try waitReadable([events.descriptor, neighbours.descriptor], timeout: timeout)
            if ready[0], let event = try events.next(timeout: 0) {
                if event == .overflow || ["pci", "net"].contains(event.subsystem ?? "") {
                    deadline = monotonicSeconds() + settle
                }
            }
            if ready[1] {
                // nil: the kernel dropped events, so the tables are read again in full.
                let changes = try neighbours.drain()
                let relevant = changes.map { events in events.contains { Self.concerns($0, watched) } } ?? !watched.isEmpty
                if relevant {
                    let soon = monotonicSeconds() + min(settle, Self.forwardingSettle)
                    deadline = min(deadline ?? soon, soon)
                }
            }
            // Due, even while unrelated events (ARP neighbours) keep arriving.
            if let due = deadline, monotonicSeconds() >= due {
                deadline = nil
                watched = check() ?? ForwardingPlanning.watchedLinks(on: selection)
            }
        }
    }

    /// An entry on a watched PF's own table, or in a watched bridge's table.
    static func concerns(_ event: FDBEvent, _ watched: Set<Int32>) -> Bool {
        watched.contains(event.entry.index) || event.entry.master.map(watched.contains) ?? false
    }

    /// Plans and, when something drifted, applies; returns the links whose forwarding-table
    /// events matter now (nil when the check failed). Problems are logged: the watcher keeps going.
    @discardableResult
    public func check() -> Set<Int32>? {
        do {
            let outcome = try ApplyUseCase.run(ApplyRequest(trigger: .watch), on: selection, logger: logger)
            if outcome.planSize > 0 {
                logger.notice(
                    "re-applied \(outcome.planSize) change(s)\(outcome.succeeded ? "; the host matches the config" : " with problems (see above)")")
            }
            return outcome.watchedLinks
        } catch {
            logger.error("\(EngineError.classify(error)?.message ?? "\(error)")")
            return nil
        }
    }
}
