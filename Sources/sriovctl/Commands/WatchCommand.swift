import ArgumentParser
import SRIOVEngine

struct WatchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Re-apply the config whenever a PF's VFs disappear or its driver comes back (run by sriovctl-watch.service).",
        discussion: """
            Listens to the kernel's device events (the same ones udev starts from). After a PCI or \
            network device is added, removed or rebound, it waits for the burst to end (1 s), then \
            plans; when a configured PF drifted (VFs gone after `echo 0 > sriov_numvfs`, a driver \
            reload, a firmware reset), it applies, logging every change. It only acts on PFs in \
            the config, and never removes or rebinds a VF in use. SIGTERM or Ctrl-C stops it (exit 0). \
            With --simulate it watches the simulated host's state: a change made by another \
            sriovctl is its device event.
            """)

    @ParentCommand var sriovctl: SRIOVCtl
    @Option(help: ArgumentHelp("Seconds of quiet after the last event before checking.", valueName: "seconds"))
    var settle: Double = 1.0

    /// A poll timeout is an Int32 of milliseconds: infinities, NaN and anything past an hour are
    /// refused here rather than trapping (or spinning) at the first device event.
    func validate() throws {
        guard settle.isFinite, (0...3600).contains(settle) else {
            throw ValidationError("--settle \(settle): give seconds from 0 to 3600 (1 is the default)")
        }
    }

    func run() throws {
        try Watcher(selection: sriovctl.global.selection, settle: settle, logger: ChangeLog.logger).run()
    }
}
