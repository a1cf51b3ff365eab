import Logging
import Netlink
import SRIOVCore
import SRIOVHost

/// `sriovctl watch`: re-applies the config when a PF's VFs disappear or its driver comes back.
/// Listens to the kernel's device events; after a burst of PCI or network events has been quiet
/// for `settle` seconds, it plans, and applies when a configured PF drifted.
public struct Watcher {
    public let selection: HostSelection
    public let settle: Double
    public let logger: Logger

    public init(selection: HostSelection, settle: Double, logger: Logger) {
        self.selection = selection
        self.settle = settle
        self.logger = logger
    }

    public func run() throws -> Never {
        let events = try UeventSocket()
        logger.info("watching for PF resets and VF changes (config \(selection.configPath))")
        check()
        var deadline: Double?
        while true {
            let timeout = deadline.map { max(0, $0 - monotonicSeconds()) } ?? -1
            if let event = try events.next(timeout: timeout) {
                if event == .overflow || ["pci", "net"].contains(event.subsystem ?? "") {
                    deadline = monotonicSeconds() + settle
                }
            } else if deadline != nil {
                deadline = nil
                check()
            }
        }
    }

    /// Plans and, when something drifted, applies. Problems are logged: the watcher keeps going.
    public func check() {
        do {
            let outcome = try ApplyUseCase.run(ApplyRequest(trigger: .watch), on: selection, logger: logger)
            if outcome.planSize > 0 {
                logger.notice(
                    "re-applied \(outcome.planSize) change(s)\(outcome.succeeded ? "; the host matches the config" : " with problems (see above)")")
            }
        } catch {
            logger.error("\(EngineError.classify(error)?.message ?? "\(error)")")
        }
    }
}
