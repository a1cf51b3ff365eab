import SRIOVCore
import SRIOVHost

/// `sriovctl top`: every selected VF's rates, from one netlink dump per sample, once for scripts
/// or live on the terminal.
public enum TopUseCase {
    public struct Request: Sendable {
        /// Only these PFs (all when empty).
        public var selectors: [PFSelector]
        /// Seconds between samples.
        public var interval: Double
        /// The row order the screen starts with.
        public var order: TrafficOrder

        public init(selectors: [PFSelector], interval: Double, order: TrafficOrder) {
            self.selectors = selectors
            self.interval = interval
            self.order = order
        }
    }

    /// One sample for scripts: two reads `interval` apart, rows in the request's order. A bad
    /// `--root` or `--simulate` fails before the wait.
    public static func once(_ request: Request, on selection: HostSelection) throws -> [VFTraffic] {
        let sampler = try sampler(request.selectors, on: selection)
        let (first, _) = try sampler.sample()
        pause(seconds: request.interval)
        let (second, _) = try sampler.sample()
        return request.order.sorted(VFTraffic.rates(from: first, to: second))
    }

    /// The live screen, refreshed every `interval`, until q, Ctrl-C, SIGTERM or a hang-up; the
    /// terminal is put back as it was. `s` changes the order. Refused without a terminal.
    public static func live(_ request: Request, on selection: HostSelection) throws {
        let sampler = try sampler(request.selectors, on: selection)
        guard let terminal = Terminal() else {
            throw EngineError.invalidInput("top needs a terminal to draw in; for scripts use `sriovctl top --once --json`")
        }
        var order = request.order
        let interval = request.interval
        // NO_COLOR set to anything but "" turns colour off (https://no-color.org); so does a dumb terminal.
        let dumb = (ProcessFacts.environment("TERM") ?? "dumb") == "dumb"
        let styling: TopScreen.Styling = ThisProcess.isSet("NO_COLOR") || dumb ? .monochrome : .colour
        let hostLabel = label(selection)
        var (previous, _) = try sampler.sample()
        var rows = VFTraffic.rates(from: nil, to: previous)
        terminal.enter()
        defer { terminal.restore() }
        func draw() {
            let (columns, lines) = terminal.size()
            terminal.draw(
                TopScreen(
                    rows: rows, order: order, intervalSeconds: interval, width: columns, height: lines,
                    styling: styling, hostLabel: hostLabel
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

    /// What the screen's title calls the host.
    public static func label(_ selection: HostSelection) -> String {
        if let simulate = selection.simulate { return "simulated \(simulate.split(separator: "/").last.map(String.init) ?? simulate)" }
        if selection.root != "/" { return "tree \(selection.root)" }
        return ProcessFacts.hostName()
    }

    /// A sampler for the selected host; a bad `--root` or `--simulate` fails here, before any screen.
    static func sampler(_ selectors: [PFSelector], on selection: HostSelection) throws -> TrafficSampler {
        _ = try selection.open()
        return TrafficSampler(openHost: { try selection.open() }, selectors: selectors)
    }
}
