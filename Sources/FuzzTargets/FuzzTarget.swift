/// The parsers that read input sriovctl does not control, each as a function of raw bytes that
/// must return (never trap, never hang) whatever the bytes are. `sriovctl-fuzz` runs them under
/// libFuzzer (`scripts/fuzz`); the test suite replays their seed corpora and every crash found.
public enum FuzzTarget: String, CaseIterable, Sendable {
    /// The TOML parser alone.
    case toml
    /// A whole config: TOML, the config reader, then resolving and planning it on a simulated host.
    case config
    /// rtnetlink replies: message framing, link attributes, statistics.
    case netlinkLink = "netlink-link"
    /// The VF part of a link reply (IFLA_VFINFO_LIST), wrapped in a well-formed message.
    case netlinkVF = "netlink-vf"
    /// A uevent datagram from the kernel.
    case uevent
    /// A simulated host description (JSON), then the host it describes, acted upon.
    case simulatedHost = "simulated-host"
    /// Proxmox VE guest configs (hostpci lines, net lines) and the cluster PCI mapping file.
    case proxmox
    /// The metrics server's HTTP request path: parsing, routing, answers.
    case http

    /// How far an input went: refused by the parser, accepted by it, or carried on into what uses
    /// the result (planning, acting on a host, routing a request). Tests check that the harness
    /// reaches the stage its seeds should reach.
    public enum Reached: Int, Comparable, Sendable {
        case refused, parsed, used
        public static func < (a: Reached, b: Reached) -> Bool { a.rawValue < b.rawValue }
    }

    @discardableResult
    public func run(_ bytes: [UInt8]) -> Reached {
        switch self {
        case .toml: TOMLHarness.run(bytes)
        case .config: ConfigHarness.run(bytes)
        case .netlinkLink: NetlinkHarness.runLink(bytes)
        case .netlinkVF: NetlinkHarness.runVF(bytes)
        case .uevent: NetlinkHarness.runUevent(bytes)
        case .simulatedHost: SimulatedHostHarness.run(bytes)
        case .proxmox: ProxmoxHarness.run(bytes)
        case .http: HTTPHarness.run(bytes)
        }
    }

    /// Inputs past this size are cut: each parser has its own bound (1 MiB configs, 4 MiB
    /// descriptions), and the fuzzer learns more from many small inputs than from few large ones.
    public static let maximumInput = 64 << 10
}
