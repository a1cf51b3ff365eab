/// How a VF's MAC is chosen: derived from the PF (stable, unique), written out, or left as the
/// kernel has it (`keep`: what `init` writes for a VF whose MAC was never set).
public enum MACChoice: Hashable, Sendable, CustomStringConvertible {
    case auto
    case fixed(MACAddress)
    case keep

    public var description: String {
        switch self {
        case .auto: "auto"
        case let .fixed(mac): mac.description
        case .keep: "keep"
        }
    }
}

/// Which driver a VF should be bound to.
public enum DriverChoice: String, Hashable, Sendable, CaseIterable {
    /// For passing the VF to a VM.
    case vfioPCI = "vfio-pci"
    /// The PF driver's own VF driver (igbvf, iavf, mlx5_core, ...), chosen by the kernel.
    case host
    /// Unbound.
    case none
    /// Not managed: whatever it is bound to stays.
    case keep
}

/// One VF's settings as the file writes them; nil means "not written here".
public struct VFConfig: Hashable, Sendable {
    public var mac: MACChoice?
    /// Every other VF setting (`VFField`) the file writes; its `mac` is never set (see `mac`).
    public var settings = VFSettings()
    public var driver: DriverChoice?
    /// What the VF is for (`carp`, `trunk`, `access`): fills the keys that job needs.
    public var role: VFRole?
    /// Proxmox VE: the VM this VF is given to (`hostpciN`), the slot N, and `pcie=1`.
    public var vm: Int?
    public var slot: Int?
    public var pcie: Bool?
    /// Proxmox VE: the cluster PCI mapping (pool) this VF belongs to on this node.
    public var mapping: String?
    /// Where each written key is, by its config name (`vlan`, `mac`, ...), for later errors.
    public var locations: [String: ConfigLocation] = [:]

    public init() {}

    /// These settings, with anything not written here taken from `base` (the PF's defaults).
    public func over(_ base: VFConfig) -> VFConfig {
        var r = self
        r.mac = mac ?? base.mac
        r.settings = base.settings
        r.settings.merge(settings)
        r.driver = driver ?? base.driver
        r.role = role ?? base.role
        r.vm = vm ?? base.vm
        r.slot = slot ?? base.slot
        r.pcie = pcie ?? base.pcie
        r.mapping = mapping ?? base.mapping
        r.locations = base.locations.merging(locations) { _, mine in mine }
        return r
    }
}

/// One `[[pf]]`: which device, how many VFs, and what each VF should be.
public struct PFConfig: Hashable, Sendable {
    public var selector: PFSelector
    public var numVFs: Int
    public var mtu: Int?
    public var autoprobe: Bool?
    /// `link = "keep"`: a PF that is down is left down (by default apply brings it up).
    public var keepLink = false
    /// `sync-bridge-fdb = true`: the PF's own forwarding table holds every MAC behind the bridge
    /// over it, so VF guests reach bridged guests and the host.
    public var syncBridgeFDB = false
    public var defaults: VFConfig
    /// Per-VF settings by index (from `index` or `indexes`), before defaults are applied.
    public var vfs: [Int: VFConfig]
    public var location: ConfigLocation

    public init(
        selector: PFSelector, numVFs: Int, mtu: Int? = nil, autoprobe: Bool? = nil,
        defaults: VFConfig = VFConfig(), vfs: [Int: VFConfig] = [:], location: ConfigLocation
    ) {
        self.selector = selector
        self.numVFs = numVFs
        self.mtu = mtu
        self.autoprobe = autoprobe
        self.defaults = defaults
        self.vfs = vfs
        self.location = location
    }

    /// VF `index`'s settings as written, with the PF's defaults filled in.
    public func written(_ index: Int) -> VFConfig {
        (vfs[index] ?? VFConfig()).over(defaults)
    }
}

/// The whole file.
public struct SRIOVConfig: Hashable, Sendable {
    public var path: String
    public var pfs: [PFConfig]

    public init(path: String, pfs: [PFConfig]) {
        self.path = path
        self.pfs = pfs
    }
}

extension SRIOVConfig {
    /// The first place the file gives a VF to a Proxmox guest or mapping (`vm =`, `mapping =`).
    public var firstGuestAssignment: ConfigLocation? {
        for pf in pfs {
            for vf in [pf.defaults] + pf.vfs.keys.sorted().map({ pf.vfs[$0]! }) where vf.vm != nil || vf.mapping != nil {
                return vf.locations[vf.vm != nil ? "vm" : "mapping"] ?? pf.location
            }
        }
        return nil
    }

    /// The file without its guest assignments (`vm`, `slot`, `pcie`, `mapping`): the VFs and
    /// their settings only, for a boot before Proxmox's /etc/pve is there.
    public func withoutGuestAssignments() -> SRIOVConfig {
        var result = self
        for p in result.pfs.indices {
            func strip(_ vf: inout VFConfig) {
                vf.vm = nil
                vf.slot = nil
                vf.pcie = nil
                vf.mapping = nil
            }
            strip(&result.pfs[p].defaults)
            for key in result.pfs[p].vfs.keys { strip(&result.pfs[p].vfs[key]!) }
        }
        return result
    }
}
