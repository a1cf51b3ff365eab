/// One read of every VF's counters, at one moment.
public struct TrafficSample: Sendable {
    /// Seconds on a clock that only goes forward (CLOCK_MONOTONIC).
    public var time: Double
    public var vfs: [Reading]

    public init(time: Double, vfs: [Reading]) {
        self.time = time
        self.vfs = vfs
    }

    /// One VF in a sample: who it is and its chosen counters.
    public struct Reading: Sendable, Hashable {
        public var pf: String
        public var pfPCI: PCIAddress
        public var index: Int
        public var pci: PCIAddress
        public var driver: String?
        public var netdev: String?
        public var settings: VFSettings
        /// The Proxmox guest whose config names this VF, when known.
        public var vm: Int?
        public var chosen: ChosenCounters

        public init(
            pf: String, pfPCI: PCIAddress, index: Int, pci: PCIAddress, driver: String?,
            netdev: String?, settings: VFSettings, vm: Int?, chosen: ChosenCounters
        ) {
            self.pf = pf
            self.pfPCI = pfPCI
            self.index = index
            self.pci = pci
            self.driver = driver
            self.netdev = netdev
            self.settings = settings
            self.vm = vm
            self.chosen = chosen
        }

        /// A VF is the same VF across samples when its PF and index are.
        public var key: String { "\(pfPCI)/\(index)" }
    }

    /// The readings of a snapshot taken with counters, with each VF's owning guest (by VF PCI address).
    public init(time: Double, snapshot: HostSnapshot, owners: [PCIAddress: Int] = [:]) {
        self.time = time
        vfs = snapshot.pfs.flatMap { pf in
            pf.vfs.map { vf in
                Reading(
                    pf: pf.displayName, pfPCI: pf.pci, index: vf.index, pci: vf.pci,
                    driver: vf.driver, netdev: vf.netdev, settings: vf.settings, vm: owners[vf.pci],
                    chosen: ChosenCounters.choose(pf: pf, vf: vf))
            }
        }
    }
}
