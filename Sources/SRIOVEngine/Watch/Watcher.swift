import Logging
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

    /// Watches until SIGTERM or SIGINT (then returns: the process exits 0).
    public func run() throws {
        StopRequest.install()
        var source = try selection.openEvents()
        logger.info("watching for PF resets, VF changes and bridge forwarding tables (config \(selection.configPath))")
        // Only events on PFs that sync and the bridges over them matter (none: all are skipped).
        // A check reports them from what it read; one that failed leaves them to be read anew.
        var watched = check() ?? ForwardingPlanning.watchedLinks(on: selection)
        var deadline: Double?
        while !StopRequest.isRequested {
            switch try source.next(until: deadline) {
            case .devices?:
                deadline = monotonicSeconds() + settle
            case let .forwarding(links)?:
                // nil: the kernel dropped events, so the tables are read again in full.
                if links.map({ Self.concerns(links: $0, watched) }) ?? !watched.isEmpty {
                    let soon = monotonicSeconds() + min(settle, Self.forwardingSettle)
                    deadline = min(deadline ?? soon, soon)
                }
            case nil:
                break
            }
            // Due, even while unrelated events (ARP neighbours) keep arriving.
            if let due = deadline, monotonicSeconds() >= due {
                deadline = nil
                watched = check() ?? ForwardingPlanning.watchedLinks(on: selection)
            }
        }
        logger.info("stopped")
    }

    /// The links an entry touches: its own and its bridge's. An event matters when one of them
    /// is watched (a watched PF's own table, or a watched bridge's).
    static func concerns(links: Set<Int32>, _ watched: Set<Int32>) -> Bool { !links.isDisjoint(with: watched) }

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
