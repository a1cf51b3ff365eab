/// What `sriovctl serve` exports: per-VF traffic counters, VF settings, drift between the config
/// and the host, and the last apply's result. Metric names are part of the contract (README).
public struct HostMetrics: Sendable {
    /// How the host compares with the config.
    public enum Drift: Sendable, Equatable {
        /// The plan to reach the config has this many changes (0: in sync).
        case changes(Int)
        /// The config cannot be used; the message says why.
        case configInvalid(String)
        /// No config file: nothing to compare with.
        case noConfig
    }

    public var sample: TrafficSample?
    public var snapshot: HostSnapshot?
    /// Why the host could not be read (then `sample` and `snapshot` are nil).
    public var readError: String?
    public var drift: Drift
    public var lastApply: ApplyRecord?
    public var scrapeSeconds: Double
    /// Forwarding entries sriovctl keeps in each PF's own table (`sync-bridge-fdb`), by PF name.
    public var forwardingEntries: [String: Int]

    public init(
        sample: TrafficSample?, snapshot: HostSnapshot?, readError: String?, drift: Drift,
        lastApply: ApplyRecord?, scrapeSeconds: Double, forwardingEntries: [String: Int] = [:]
    ) {
        self.forwardingEntries = forwardingEntries
        self.sample = sample
        self.snapshot = snapshot
        self.readError = readError
        self.drift = drift
        self.lastApply = lastApply
        self.scrapeSeconds = scrapeSeconds
    }

    /// The `/metrics` page.
    public func exposition() -> String {
        var m = MetricsExposition()
        m.add(
            "sriovctl_host_read_success", .gauge, help: "1 when sysfs and netlink could be read on this scrape, else 0.",
            value: readError == nil ? 1 : 0)
        for pf in snapshot?.pfs ?? [] {
            let labels = [("pf", pf.displayName), ("pci", pf.pci.description), ("driver", pf.driver ?? "")]
            m.add("sriovctl_pf_vfs", .gauge, help: "VFs the PF has now (sriov_numvfs).", labels: labels, value: Double(pf.numVFs))
            m.add(
                "sriovctl_pf_total_vfs", .gauge, help: "VFs the PF can have (sriov_totalvfs).", labels: labels,
                value: Double(pf.totalVFs))
            m.add(
                "sriovctl_pf_bridge_fdb_entries", .gauge,
                help: "MACs sriovctl keeps in the PF's own forwarding table for sync-bridge-fdb (0 when off).", labels: labels,
                value: Double(pf.name.flatMap { forwardingEntries[$0] } ?? 0))
        }
        for vf in sample?.vfs ?? [] {
            addVF(vf, to: &m)
        }
        switch drift {
        case let .changes(n):
            m.add("sriovctl_config_valid", .gauge, help: "1 when the config file reads without errors, else 0.", value: 1)
            m.add(
                "sriovctl_config_drift_changes", .gauge,
                help: "Changes sriovctl apply would make to match the config (0: the host matches it).", value: Double(n))
        case .configInvalid:
            m.add("sriovctl_config_valid", .gauge, help: "1 when the config file reads without errors, else 0.", value: 0)
        case .noConfig:
            break
        }
        if let last = lastApply {
            let labels = [("trigger", last.trigger)]
            m.add(
                "sriovctl_last_apply_success", .gauge,
                help: "1 when the last apply left the host as the config says, else 0.", labels: labels,
                value: last.succeeded ? 1 : 0)
            m.add(
                "sriovctl_last_apply_timestamp_seconds", .gauge, help: "When the last apply finished (Unix time).",
                labels: labels, value: last.finishedAt.rounded())
            m.add(
                "sriovctl_last_apply_changes", .gauge, help: "Changes the last apply planned.", labels: labels,
                value: Double(last.changes))
        }
        m.add(
            "sriovctl_scrape_duration_seconds", .gauge, help: "Time this scrape took to read the host and plan.",
            value: (scrapeSeconds * 1e6).rounded() / 1e6)
        return m.text
    }

    private func addVF(_ vf: TrafficSample.Reading, to m: inout MetricsExposition) {
        var id = [("pf", vf.pf), ("vf", String(vf.index)), ("pci", vf.pci.description)]
        if let vm = vf.vm { id.append(("vm", String(vm))) }
        let s = vf.settings
        let info =
            id + VFField.allCases.map { ($0.metricsLabel, $0.rawText(in: s) ?? "") } + [
                ("driver", vf.driver ?? ""), ("netdev", vf.netdev ?? ""),
                ("counter_source", vf.chosen.source?.rawValue ?? "none"), ("note", vf.chosen.note ?? ""),
            ]
        m.add(
            "sriovctl_vf_info", .gauge,
            help: "A VF's settings as the kernel reports them, and where its counters come from (value always 1).",
            labels: info, value: 1)
        guard let source = vf.chosen.source, let c = vf.chosen.counters else { return }
        let labels = id + [("source", source.rawValue)]
        let counters: [(String, String, UInt64?)] = [
            ("sriovctl_vf_rx_bytes_total", "Bytes the VF received.", c.rxBytes),
            ("sriovctl_vf_tx_bytes_total", "Bytes the VF sent.", c.txBytes),
            ("sriovctl_vf_rx_packets_total", "Packets the VF received.", c.rxPackets),
            ("sriovctl_vf_tx_packets_total", "Packets the VF sent.", c.txPackets),
            ("sriovctl_vf_rx_dropped_total", "Received packets dropped.", c.rxDropped),
            ("sriovctl_vf_tx_dropped_total", "Packets to send that were dropped.", c.txDropped),
            ("sriovctl_vf_rx_broadcast_total", "Broadcast packets the VF received (per-VF counters only).", c.broadcast),
            ("sriovctl_vf_rx_multicast_total", "Multicast packets the VF received.", c.multicast),
        ]
        for (name, help, value) in counters {
            guard let value else { continue }
            m.add(
                name, .counter, help: help + " source=\"vf\": the PF's per-VF counters; \"netdev\": the VF's own interface.",
                labels: labels, count: value)
        }
    }
}
