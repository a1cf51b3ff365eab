import ArgumentParser
import SRIOVCore
import SRIOVEngine
import SRIOVHost

#if canImport(Glibc)
    import Glibc
#endif

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
        let sampler = try makeSampler()
        let order = sort
        if once || json {
            let (first, _) = try sampler.sample()
            usleep(useconds_t(interval * 1_000_000))
            let (second, _) = try sampler.sample()
            let rows = order.sorted(VFTraffic.rates(from: first, to: second))
            if json {
                print(TopJSON.render(rows, intervalSeconds: interval).serialized(pretty: true))
            } else {
                let screen = TopScreen(
                    rows: rows, order: order, intervalSeconds: interval, width: 200,
                    height: rows.count + 3, styling: .none, hostLabel: hostLabel)
                print(screen.lines().joined(separator: "\n"))
            }
            return
        }
        guard let terminal = Terminal() else {
            throw EngineError.invalidInput("top needs a terminal to draw in; for scripts use `sriovctl top --once --json`")
        }
        try watch(sampler, terminal: terminal, order: order)
    }

    private func watch(_ sampler: TrafficSampler, terminal: Terminal, order start: TrafficOrder) throws {
        var order = start
        // NO_COLOR set to anything but "" turns colour off (https://no-color.org); so does a dumb terminal.
        let noColour = getenv("NO_COLOR").map { !String(cString: $0).isEmpty } ?? false
        let dumb = getenv("TERM").map { String(cString: $0) == "dumb" } ?? true
        let styling: TopScreen.Styling = noColour || dumb ? .monochrome : .colour
        let label = hostLabel
        var (previous, _) = try sampler.sample()
        var rows = VFTraffic.rates(from: nil, to: previous)
        terminal.enter()
        defer { terminal.restore() }
        func draw() {
            let (columns, lines) = terminal.size()
            terminal.draw(
                TopScreen(
                    rows: rows, order: order, intervalSeconds: interval, width: columns, height: lines,
                    styling: styling, hostLabel: label
                ).lines())
        }
        draw()
        var due = monotonicSeconds() + interval
        while true {
            switch terminal.next(timeout: due - monotonicSeconds()) {
            case .timeout:
                let (current, _) = try sampler.sample()
                rows = VFTraffic.rates(from: previous, to: current)
                previous = current
                due = max(due + interval, monotonicSeconds() + interval / 2)
                draw()
            case .resized:
                draw()
            case .key(UInt8(ascii: "q")), .key(UInt8(ascii: "Q")), .interrupted:
                return
            case .key(UInt8(ascii: "s")), .key(UInt8(ascii: "S")):
                order = order.next
                draw()
            case .key:
                continue
            }
        }
    }

    private var hostLabel: String {
        TrafficUseCase.label(global.selection)
    }

    private func makeSampler() throws -> TrafficSampler {
        try TrafficUseCase.sampler(pfs.map(PFSelector.init), on: global.selection)
    }
}
