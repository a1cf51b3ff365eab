import ArgumentParser
import SRIOVCore
import SRIOVEngine

struct TopCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "top",
        abstract: "Live traffic per VF, like nload or iftop, including VFs passed through to VMs.",
        discussion: """
            A VF given to a VM never crosses a host interface, so nload and iftop cannot see it. \
            The PF's per-VF counters can, where the driver keeps them (mlx4/mlx5, i40e, ice). \
            Where it does not (igb, ixgbe), a VF bound to a host driver is shown with its own \
            interface's counters (SOURCE netdev), and any other VF says "no per-VF counters" \
            instead of a misleading 0. One netlink dump per refresh reads every PF.

            Keys: q quits (the terminal is restored), s changes the order \
            (\(TrafficOrder.allCases.map(\.rawValue).joined(separator: " -> "))). \
            Colours follow NO_COLOR (https://no-color.org).

            Examples:
              sriovctl top
              sriovctl top enp6s0f0 --interval 2 --sort rx
              sriovctl top --once --json          # one sample for scripts (two reads, --interval apart)
              sriovctl top --simulate \(InstalledPaths.examples)/e810-2port.json
            """)

    @ParentCommand var sriovctl: SRIOVCtl
    var global: GlobalOptions { sriovctl.global }

    @Argument(
        help: ArgumentHelp("PFs to watch (interface, PCI address or permanent MAC); all when none.", valueName: "pf"),
        completion: ShellCompletions.pf)
    var pfs: [String] = []

    @Option(help: ArgumentHelp("Seconds between refreshes (0.2 to 60).", valueName: "seconds"))
    var interval: Double = 1.0

    @Option(
        help: ArgumentHelp("Row order: \(TrafficOrder.allCases.map(\.rawValue).joined(separator: ", ")).", valueName: "key"),
        completion: .list(TrafficOrder.allCases.map(\.rawValue)))
    var sort: TrafficOrder = .total

    @Flag(help: "Print one sample and exit: two reads --interval apart, as text or (--json) JSON.")
    var once = false

    @Flag(help: "With --once: print JSON (keys in docs/reference.md). Implies --once.")
    var json = false

    func validate() throws {
        guard interval.isFinite, (0.2...60).contains(interval) else {
            throw ValidationError("--interval \(interval): give 0.2 to 60 seconds")
        }
    }

    func run() throws {
        let request = TopUseCase.Request(selectors: pfs.map(PFSelector.init), interval: interval, order: sort)
        guard once || json else { return try TopUseCase.live(request, on: global.selection) }
        let rows = try TopUseCase.once(request, on: global.selection)
        if json {
            print(TopJSON.render(rows, intervalSeconds: interval).serialized(pretty: true))
        } else {
            let screen = TopScreen(
                rows: rows, order: sort, intervalSeconds: interval, width: 200, height: rows.count + 3, styling: .none,
                hostLabel: TopUseCase.label(global.selection))
            print(screen.lines().joined(separator: "\n"))
        }
    }
}
