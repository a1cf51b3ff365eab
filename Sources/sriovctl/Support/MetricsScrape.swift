import SRIOVCore
import SRIOVHost

/// One `/metrics` page: one sample of every VF (one netlink dump), the drift between the config
/// and that same snapshot, and the last apply's record. Read-only: nothing here writes.
struct MetricsScrape: Sendable {
    let global: GlobalOptions
    let sampler: TrafficSampler

    init(global: GlobalOptions) {
        self.global = global
        let proxmox = global.simulate == nil ? ProxmoxReader(fs: RootedFileSystem(root: global.root)) : nil
        sampler = TrafficSampler(openHost: { try HostAccess.observer(global) }, proxmox: proxmox)
    }

    func page() -> String {
        let started = monotonicSeconds()
        var observation: TrafficSampler.Observation?
        var readError: String?
        do {
            observation = try sampler.observe()
        } catch {
            readError = CLIError.classify(error)?.message ?? "\(error)"
        }
        let drift = observation.map(drift) ?? .noConfig
        let metrics = HostMetrics(sample: observation?.sample, snapshot: observation?.snapshot, readError: readError, drift: drift,
                                  lastApply: HostAccess.applyRecords(global).load(),
                                  scrapeSeconds: monotonicSeconds() - started)
        var text = metrics.exposition()
        if let readError { text = "# host could not be read: \(readError.replacing("\n", with: " "))\n" + text }
        return text
    }

    /// What `sriovctl plan` would count, from the snapshot already taken (no second dump). PFs the
    /// config names that are missing count as drift too.
    private func drift(_ o: TrafficSampler.Observation) -> HostMetrics.Drift {
        let path = global.configPath
        guard RootedFileSystem().exists(path) else { return .noConfig }
        do {
            let config = try ConfigFile.load(path)
            let node = ProxmoxReader(fs: RootedFileSystem(root: global.root)).node
            let desired = try DesiredHost.resolve(config, on: o.snapshot, allowMissing: true, guests: o.guests,
                                                  mappings: o.mappings, node: node)
            return .changes(PlanRendering.changeCount(Planner.plan(desired)) + desired.missing.count)
        } catch {
            return .configInvalid("\(error)")
        }
    }
}
