/// One virtual function as the kernel holds it now.
public struct VirtualFunction: Hashable, Sendable {
    /// The VF number on its PF (`virtfnN`).
    public var index: Int
    public var pci: PCIAddress
    public var iommuGroup: Int?
    /// The bound driver (`vfio-pci`, `igbvf`, ...), nil when unbound.
    public var driver: String?
    /// The VF's own network interface, when a host driver is bound and made one.
    public var netdev: String?
    public var settings: VFSettings
    /// The PF's per-VF counters (`IFLA_VF_STATS`); read only when traffic is asked for.
    public var counters: VFCounters?
    /// The VF's own netdev's counters (`IFLA_STATS64`), when a host driver made one.
    public var netdevCounters: VFCounters?
    /// `subsystem_vendor:subsystem_device` (what a Proxmox mapping's `subsystem-id` must say).
    public var subsystemID: String?

    public init(
        index: Int, pci: PCIAddress, iommuGroup: Int? = nil, driver: String? = nil, netdev: String? = nil,
        settings: VFSettings = VFSettings(), counters: VFCounters? = nil, netdevCounters: VFCounters? = nil,
        subsystemID: String? = nil
    ) {
        self.subsystemID = subsystemID
        self.index = index
        self.pci = pci
        self.iommuGroup = iommuGroup
        self.driver = driver
        self.netdev = netdev
        self.settings = settings
        self.counters = counters
        self.netdevCounters = netdevCounters
    }
}

/// One SR-IOV capable physical function: any PCI device with `sriov_totalvfs`.
public struct PhysicalFunction: Hashable, Sendable {
    public var pci: PCIAddress
    /// The PF's network interface; nil when the device has no netdev (driver unbound, or not a NIC).
    public var name: String?
    public var driver: String?
    public var mac: MACAddress?
    public var permanentMAC: MACAddress?
    public var linkUp: Bool?
    /// Administratively up (IFF_UP): what `ip link set PF up` sets. `linkUp` is the carrier.
    public var adminUp: Bool?
    public var mtu: Int?
    public var totalVFs: Int
    public var numVFs: Int
    /// `sriov_drivers_autoprobe`: whether new VFs are bound to a host driver at creation.
    public var autoprobe: Bool?
    /// `vendor:device` of the VFs (`sriov_vf_device`), e.g. `8086:1520` for an i350 VF.
    public var vfDeviceID: String?
    public var vfs: [VirtualFunction]

    public init(
        pci: PCIAddress, name: String? = nil, driver: String? = nil, mac: MACAddress? = nil,
        permanentMAC: MACAddress? = nil, linkUp: Bool? = nil, adminUp: Bool? = nil, mtu: Int? = nil, totalVFs: Int,
        numVFs: Int,
        autoprobe: Bool? = nil, vfDeviceID: String? = nil, vfs: [VirtualFunction] = []
    ) {
        self.pci = pci
        self.name = name
        self.driver = driver
        self.mac = mac
        self.permanentMAC = permanentMAC
        self.linkUp = linkUp
        self.adminUp = adminUp
        self.mtu = mtu
        self.totalVFs = totalVFs
        self.numVFs = numVFs
        self.autoprobe = autoprobe
        self.vfDeviceID = vfDeviceID
        self.vfs = vfs
    }

    /// How this PF is named to a person: its interface, else its PCI address.
    public var displayName: String { name ?? pci.description }
}

/// Everything sriovctl knows about the host's SR-IOV state at one moment.
public struct HostSnapshot: Hashable, Sendable {
    public var pfs: [PhysicalFunction]

    public init(pfs: [PhysicalFunction]) {
        self.pfs = pfs.sorted { $0.pci < $1.pci }
    }
}
