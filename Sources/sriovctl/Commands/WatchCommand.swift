import ArgumentParser
import Netlink
import SRIOVCore
import SRIOVHost

struct WatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Re-apply the config whenever a PF's VFs disappear or its driver comes back (run by sriovctl-watch.service).",
        discussion: """
            Listens to the kernel's device events (the same ones udev starts from). After a PCI or \
            network device is added, removed or rebound, it waits for the burst to end (1 s), then \
            plans; when a configured PF drifted (VFs gone after `echo 0 > sriov_numvfs`, a driver \
            reload, a firmware reset), it applies, logging every change. It only acts on PFs in \
            the config, and never removes or rebinds a VF in use.
            """)

    @ParentCommand var sriovctl: SRIOVCtl
    @Option(help: ArgumentHelp("Seconds of quiet after the last event before checking.", valueName: "seconds"))
    var settle: Double = 1.0

    func run() throws {
        let logger = ChangeLog.logger
        let events = try UeventSocket()
        let session = ApplySession(global: sriovctl.global, allowMissing: true, logger: logger, quietWhenUnchanged: true)
        logger.info("watching for PF resets and VF changes (config \(sriovctl.global.configPath))")
        check(session)
        var deadline: Double?
        while true {
            let timeout = deadline.map { max(0, $0 - monotonicSeconds()) } ?? -1
            if let event = try events.next(timeout: timeout) {
                if event == .overflow || ["pci", "net"].contains(event.subsystem ?? "") {
                    deadline = monotonicSeconds() + settle
                }
            } else if deadline != nil {
                deadline = nil
                check(session)
            }
        }
    }

    /// Plans and, when something drifted, applies. Problems are logged: the watcher keeps going.
    private func check(_ session: ApplySession) {
        do {
            let outcome = try session.run()
            if outcome.planSize > 0 {
                session.logger.notice("re-applied \(outcome.planSize) change(s)\(outcome.succeeded ? "; the host matches the config" : " with problems (see above)")")
            }
        } catch {
            session.logger.error("\(CLIError.classify(error)?.message ?? "\(error)")")
        }
    }
}
