import SRIOVCore

/// What has changed on a simulated host: kept in a state file between invocations, so that
/// `apply` then `status` shows the change.
public struct SimulatedHostState: Codable, Sendable, Equatable {
    /// Keyed by the PF's PCI address.
    public var pfs: [String: PF] = [:]
    public var writes: [String] = []
    /// Who holds which VF (by PCI address), for simulating VMs and processes that use VFs.
    public var holders: [String: String] = [:]
    /// Proxmox VE guests and mappings as `qm` and `pvesh` left them (seeded from the description).
    public var guests: [Guest]?
    public var mappings: [SimulatedHostDescription.Mapping]?
    /// systemd units `systemctl enable` enabled, and modules `modprobe` loaded.
    public var enabledUnits: [String]?
    public var loadedModules: [String]?
    /// Each link's own forwarding table (`bridge fdb ... self`), by link name.
    public var ownFDB: [String: [String]]?

    public init() {}

    public struct Guest: Codable, Sendable, Equatable {
        public var vmid: Int
        public var name: String?
        public var running: Bool
        /// Config lines by key: `hostpciN`, `hookscript`.
        public var config: [String: String]
        /// `[PENDING]`: what `qm set` changed while the guest ran, applied at its next start.
        public var pending: [String: String]?

        /// The guest's config file as /etc/pve/qemu-server/VMID.conf would hold it.
        public var configText: String {
            var lines = config.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }
            if let pending, !pending.isEmpty {
                lines.append("")
                lines.append("[PENDING]")
                let deletes = pending.filter { $0.value.isEmpty }.map(\.key).sorted()
                if !deletes.isEmpty { lines.append("delete: " + deletes.joined(separator: ",")) }
                lines += pending.filter { !$0.value.isEmpty }.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }
            }
            return lines.joined(separator: "\n")
        }
    }

    public struct PF: Codable, Sendable, Equatable {
        public var numVfs: Int
        public var mtu: Int
        public var linkUp: Bool
        public var autoprobe: Bool
        public var vfs: [VF]
    }

    public struct VF: Codable, Sendable, Equatable {
        public var settings: VFSettings
        public var driver: String?
        /// Fixed counters, which replace the simulated traffic (tests set them).
        public var counters: VFCounters?
        /// When the VF was created (seconds since 1970); counters count from then. Nil for VFs
        /// that were there when the simulation started: they count from midnight UTC.
        public var createdAt: Double?

        public init(settings: VFSettings, driver: String?, counters: VFCounters? = nil, createdAt: Double? = nil) {
            self.settings = settings
            self.driver = driver
            self.counters = counters
            self.createdAt = createdAt
        }
    }
}
