import SRIOVCore

/// What sysfs says about one PF and its VFs, before netlink adds the link-level view.
struct SysfsPF {
    var pci: PCIAddress
    var driver: String?
    var netdev: String?
    var totalVFs: Int
    var numVFs: Int
    var autoprobe: Bool?
    var vfDeviceID: String?
    var mac: MACAddress?
    var mtu: Int?
    var operstate: String?
    /// `net/NAME/flags` (IFF_* bits, hexadecimal in sysfs).
    var flags: UInt32?
    var vfs: [VirtualFunction]
}

/// Finds SR-IOV PFs in sysfs: every PCI device with `sriov_totalvfs`, netdev or not.
struct PCIDiscovery {
    let fs: RootedFileSystem
    static let devices = "/sys/bus/pci/devices"

    func physicalFunctions() -> [SysfsPF] {
        fs.list(Self.devices).compactMap { name in
            guard let pci = PCIAddress(name) else { return nil }
            let dir = "\(Self.devices)/\(name)"
            guard let total = fs.readInt("\(dir)/sriov_totalvfs") else { return nil }
            let netdev = fs.list("\(dir)/net").first
            let vendor = fs.readText("\(dir)/vendor").map(stripHex)
            let vfDevice = fs.readText("\(dir)/sriov_vf_device").map(stripHex)
            return SysfsPF(
                pci: pci,
                driver: fs.linkTargetName("\(dir)/driver"),
                netdev: netdev,
                totalVFs: total,
                numVFs: fs.readInt("\(dir)/sriov_numvfs") ?? 0,
                autoprobe: fs.readInt("\(dir)/sriov_drivers_autoprobe").map { $0 != 0 },
                vfDeviceID: vendor.flatMap { v in vfDevice.map { "\(v):\($0)" } },
                mac: netdev.flatMap { fs.readText("\(dir)/net/\($0)/address") }.flatMap(MACAddress.init),
                mtu: netdev.flatMap { fs.readInt("\(dir)/net/\($0)/mtu") },
                operstate: netdev.flatMap { fs.readText("\(dir)/net/\($0)/operstate") },
                flags: netdev.flatMap { fs.readText("\(dir)/net/\($0)/flags") }.flatMap { UInt32(stripHex($0), radix: 16) },
                vfs: virtualFunctions(of: dir))
        }
    }

    /// `virtfnN` links, in VF order, with each VF's IOMMU group, driver and netdev.
    private func virtualFunctions(of dir: String) -> [VirtualFunction] {
        fs.list(dir).compactMap { entry -> VirtualFunction? in
            guard entry.hasPrefix("virtfn"), let index = Int(entry.dropFirst("virtfn".count)),
                let target = fs.linkTargetName("\(dir)/\(entry)"), let pci = PCIAddress(target)
            else { return nil }
            let vfDir = "\(Self.devices)/\(target)"
            return VirtualFunction(
                index: index, pci: pci,
                iommuGroup: fs.linkTargetName("\(vfDir)/iommu_group").flatMap { Int($0) },
                driver: fs.linkTargetName("\(vfDir)/driver"),
                netdev: fs.list("\(vfDir)/net").first,
                subsystemID: fs.readText("\(vfDir)/subsystem_vendor").map(stripHex).flatMap { v in
                    fs.readText("\(vfDir)/subsystem_device").map { "\(v):\(stripHex($0))" }
                })
        }.sorted { $0.index < $1.index }
    }
}

func stripHex(_ s: String) -> String {
    s.hasPrefix("0x") ? String(s.dropFirst(2)) : s
}
