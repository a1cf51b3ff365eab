import SRIOVCore
import SRIOVHost

/// One `/metrics` page: one sample of every VF (one netlink dump), the drift between the config
/// and that same snapshot, and the last apply's record. Read-only: nothing here writes.
public struct MetricsScrape: Sendable {
    let selection: HostSelection
    let sampler: TrafficSampler

    public init(selection: HostSelection) {
        self.selection = selection
        sampler = TrafficSampler(openHost: { try selection.open() })
    }

    /// As `init`, first opening the host once, so a bad `--root` or `--simulate` fails at start.
    public init(checking selection: HostSelection) throws {
        _ = try selection.open()
        self.init(selection: selection)
    }

    public func page() -> String {
        let started = monotonicSeconds()
        var observation: TrafficSampler.Observation?
        var readError: String?
        var lastApply: ApplyRecord?
        var forwarding: [String: Int] = [:]
        do {
            let host = try selection.open()
            lastApply = host.applyRecords.load()
            forwarding = try ForwardingPlanning.syncedCounts(host: host)
            observation = try sampler.observe()
        } catch {
            readError = EngineError.classify(error)?.message ?? "\(error)"
        }
        let drift = observation.map(drift) ?? .noConfig
        let metrics = HostMetrics(
            sample: observation?.sample, snapshot: observation?.snapshot, readError: readError, drift: drift,
            lastApply: lastApply, scrapeSeconds: monotonicSeconds() - started, forwardingEntries: forwarding)
        var text = metrics.exposition()
        if let readError { text = "# host could not be read: \(readError.replacing("\n", with: " "))\n" + text }
        return text
    }

    /// What `sriovctl plan` would count, from the snapshot already taken (no second dump). PFs the
    /// config names that are missing count as drift too.
    private func drift(_ o: TrafficSampler.Observation) -> HostMetrics.Drift {
        let path = selection.configPath
        guard RootedFileSystem().exists(path) else { return .noConfig }
        do {
            let config = try ConfigFile.load(path)
            let proxmox = KnownProxmox(
                isProxmox: o.guests != nil, isMounted: o.proxmoxMounted, node: o.node, guestList: o.guests ?? [], mappingList: o.mappings)
            let desired = try PlanningContext.resolve(config, on: o.snapshot, proxmox: proxmox, allowMissing: true)
            return .changes(PlanningContext.changeCount(Planner.plan(desired)) + desired.missing.count)
        } catch {
            return .configInvalid("\(error)")
        }
    }
}

/// Guests and mappings already read with the sample: planning reads them no second time.
struct KnownProxmox: ProxmoxSource {
    let isProxmox: Bool
    let isMounted: Bool
    let node: String
    let guestList: [ProxmoxGuest]
    let mappingList: [PCIMapping]
    func guests() -> [ProxmoxGuest] { guestList }
    func mappings() -> [PCIMapping] { mappingList }
    func reservations() -> [PCIReservation] { [] }
    func haManaged() -> Set<Int> { [] }
}
