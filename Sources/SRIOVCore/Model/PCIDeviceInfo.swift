import Synchronization

/// What Proxmox reads of a PCI function in sysfs before it passes it through or accepts a
/// mapping of it (pve-common `PVE::SysFSTools::pci_device_info`): ids, IOMMU group, mdev support.
public struct PCIDeviceInfo: Hashable, Sendable {
    public var address: PCIAddress
    /// `vendor`/`device`, four lower-case hex digits without `0x`.
    public var vendor: String
    public var device: String
    public var subsystemVendor: String?
    public var subsystemDevice: String?
    public var iommuGroup: Int?
    /// `mdev_supported_types` (or an nvidia vGPU folder) exists.
    public var mdev: Bool

    public init(
        address: PCIAddress, vendor: String, device: String, subsystemVendor: String? = nil, subsystemDevice: String? = nil,
        iommuGroup: Int? = nil, mdev: Bool = false
    ) {
        self.address = address
        self.vendor = Self.hexID(vendor)
        self.device = Self.hexID(device)
        self.subsystemVendor = subsystemVendor.map(Self.hexID)
        self.subsystemDevice = subsystemDevice.map(Self.hexID)
        self.iommuGroup = iommuGroup
        self.mdev = mdev
    }

    /// `0x8086` -> `8086` (Proxmox strips `0x` before comparing).
    static func hexID(_ text: String) -> String {
        let trimmed = text.trimmingSpaces()
        return trimmed.hasPrefix("0x") ? String(trimmed.dropFirst(2)) : trimmed
    }

    /// `vendor:device`.
    public var vendorDevice: String { "\(vendor):\(device)" }
    /// `subsystem_vendor:subsystem_device`, when the function has both.
    public var subsystemID: String? { subsystemVendor.flatMap { v in subsystemDevice.map { "\(v):\($0)" } } }
}

/// The host's PCI functions, looked up as Proxmox's `lspci` filter does (a name matches every
/// function whose address, with or without its `0000:` domain, starts with it). Lookups are
/// lazy and each is made once: a real host reads sysfs only for the devices guests name, and the
/// ownership and the start checks asking about the same device read it once.
public struct PCIDeviceList: Sendable {
    private let lookup: @Sendable (PCIAddress) -> PCIDeviceInfo?
    private let addresses: @Sendable () -> [PCIAddress]
    /// Device names sysfs lists that are no PCI address sriovctl can hold (a slot above 0x1f):
    /// Proxmox still finds them by name.
    private let otherNames: @Sendable () -> [String]

    public init(
        lookup: @escaping @Sendable (PCIAddress) -> PCIDeviceInfo?, addresses: @escaping @Sendable () -> [PCIAddress],
        otherNames: @escaping @Sendable () -> [String] = { [] }
    ) {
        let memo = Memo()
        self.lookup = { pci in
            if let known = memo.devices.withLock({ $0[pci] }) { return known }
            let found = lookup(pci)
            memo.devices.withLock { $0[pci] = found }
            return found
        }
        self.addresses = {
            if let known = memo.addresses.withLock({ $0 }) { return known }
            let found = addresses()
            memo.addresses.withLock { $0 = found }
            return found
        }
        self.otherNames = otherNames
    }

    private final class Memo: Sendable {
        let devices = Mutex<[PCIAddress: PCIDeviceInfo?]>([:])
        let addresses = Mutex<[PCIAddress]?>(nil)
    }

    public init(_ devices: [PCIDeviceInfo], otherNames: [String] = []) {
        let byAddress = Dictionary(devices.map { ($0.address, $0) }, uniquingKeysWith: { a, _ in a })
        self.init(lookup: { byAddress[$0] }, addresses: { byAddress.keys.sorted() }, otherNames: { otherNames })
    }

    /// Whether Proxmox's `lspci` finds anything by this name.
    public func exists(_ name: String) -> Bool {
        !matching(name).isEmpty || otherNames().contains { $0.hasPrefix(name) || ($0.hasPrefix("0000:") && $0.dropFirst(5).hasPrefix(name)) }
    }

    public func info(_ address: PCIAddress) -> PCIDeviceInfo? { lookup(address) }

    /// `PVE::SysFSTools::lspci($name)`: the functions a hostpci name gives.
    public func matching(_ name: String) -> [PCIAddress] {
        if name.contains("."), let exact = PCIAddress(name) { return lookup(exact) == nil ? [] : [exact] }
        return addresses().filter { HostPCIReference.filter(name, matches: $0) }
    }
}
