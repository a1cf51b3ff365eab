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

extension SimulatedHostState {
    /// What no simulated kernel or Proxmox could hold: each PF described and within its limits,
    /// VF settings within the kernel's ranges, VMIDs and config lines as Proxmox takes them.
    /// A state with any of these was not written by sriovctl and is refused, not used.
    public func problems(for description: SimulatedHostDescription) -> [String] {
        var found: [String] = []
        for (pci, pf) in pfs.sorted(by: { $0.key < $1.key }) {
            guard let described = description.pfs.first(where: { $0.pci == pci }) else {
                found.append("PF \(pci.echoed(limit: 40)) is not in the description")
                continue
            }
            if pf.numVfs != pf.vfs.count || !(0...described.totalVfs).contains(pf.numVfs) {
                found.append("PF \(pci) has \(pf.numVfs) VFs (\(pf.vfs.count) listed, at most \(described.totalVfs))")
            }
            if !(68...65_535).contains(pf.mtu) { found.append("PF \(pci) has MTU \(pf.mtu)") }
            for (index, vf) in pf.vfs.enumerated() {
                let s = vf.settings
                let at = "PF \(pci) VF \(index)"
                if let vlan = s.vlan, !(0...4095).contains(vlan) { found.append("\(at) has VLAN \(vlan)") }
                if let qos = s.qos, !(0...7).contains(qos) { found.append("\(at) has QoS \(qos)") }
                for rate in [s.minTxRate, s.maxTxRate].compactMap({ $0 }) where !(0...1_000_000_000).contains(rate) {
                    found.append("\(at) has rate \(rate)")
                }
                if let driver = vf.driver,
                    driver.isEmpty || driver.count > 64 || !driver.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_".contains($0)) })
                {
                    found.append("\(at) has driver \(driver.echoed(limit: 40))")
                }
            }
        }
        for guest in guests ?? [] {
            if !(100...999_999_999).contains(guest.vmid) { found.append("guest \(guest.vmid) is not a Proxmox VM id") }
            for (key, value) in guest.config.merging(guest.pending ?? [:], uniquingKeysWith: { a, _ in a })
            where key.isEmpty || key.count > 32 || value.count > 4096 || (key + value).contains(where: { $0 == "\n" || $0 == "\r" }) {
                found.append("guest \(guest.vmid) has the line \(key.echoed(limit: 40))")
            }
        }
        for mapping in mappings ?? []
        where !ProxmoxCommands.isConfigID(mapping.id) || mapping.map.contains(where: { $0.contains("\n") || $0.contains("\r") }) {
            found.append("mapping \(mapping.id.echoed(limit: 40)) is not one Proxmox would keep")
        }
        return found
    }
}
