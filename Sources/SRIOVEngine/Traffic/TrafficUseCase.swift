import SRIOVCore
import SRIOVHost

/// `sriovctl top`: samples of every selected VF's counters, one netlink dump each.
public enum TrafficUseCase {
    /// A sampler for the selected host; a bad `--root` or `--simulate` fails here, before any screen.
    public static func sampler(_ selectors: [PFSelector], on selection: HostSelection) throws -> TrafficSampler {
        _ = try selection.open()
        return TrafficSampler(openHost: { try selection.open() }, selectors: selectors)
    }

    /// What the screen's title calls the host.
    public static func label(_ selection: HostSelection) -> String {
        if let simulate = selection.simulate { return "simulated \(simulate.split(separator: "/").last.map(String.init) ?? simulate)" }
        if selection.root != "/" { return "tree \(selection.root)" }
        return ProcessFacts.hostName()
    }
}
