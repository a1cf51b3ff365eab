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
            // Each device's folder is resolved once and its files read in it (under --root every
            // component of a path is a readlink).
            let dir = fs.folder("\(Self.devices)/\(name)")
            guard let total = fs.readInt("sriov_totalvfs", in: dir) else { return nil }
            let netdev = fs.list("net", in: dir).first
            let vendor = fs.readText("vendor", in: dir).map(stripHex)
            let vfDevice = fs.readText("sriov_vf_device", in: dir).map(stripHex)
            let net = netdev.map { fs.folder("net/\($0)", in: dir) }
            return SysfsPF(
                pci: pci,
                driver: fs.linkTargetName("driver", in: dir),
                netdev: netdev,
                totalVFs: total,
                numVFs: fs.readInt("sriov_numvfs", in: dir) ?? 0,
                autoprobe: fs.readInt("sriov_drivers_autoprobe", in: dir).map { $0 != 0 },
                vfDeviceID: vendor.flatMap { v in vfDevice.map { "\(v):\($0)" } },
                mac: net.flatMap { fs.readText("address", in: $0) }.flatMap(MACAddress.init),
                mtu: net.flatMap { fs.readInt("mtu", in: $0) },
                operstate: net.flatMap { fs.readText("operstate", in: $0) },
                flags: net.flatMap { fs.readText("flags", in: $0) }.flatMap { UInt32(stripHex($0), radix: 16) },
                vfs: virtualFunctions(of: dir))
        }
    }

    /// `virtfnN` links, in VF order, with each VF's IOMMU group, driver and netdev.
    private func virtualFunctions(of dir: RootedFileSystem.Folder) -> [VirtualFunction] {
        fs.list("", in: dir).compactMap { entry -> VirtualFunction? in
            guard entry.hasPrefix("virtfn"), let index = Int(entry.dropFirst("virtfn".count)),
                let target = fs.linkTargetName(entry, in: dir), let pci = PCIAddress(target)
            else { return nil }
            let vf = fs.folder("\(Self.devices)/\(target)")
            return VirtualFunction(
                index: index, pci: pci,
                iommuGroup: fs.linkTargetName("iommu_group", in: vf).flatMap { Int($0) },
                driver: fs.linkTargetName("driver", in: vf),
                netdev: fs.list("net", in: vf).first,
                subsystemID: fs.readText("subsystem_vendor", in: vf).map(stripHex).flatMap { v in
                    fs.readText("subsystem_device", in: vf).map { "\(v):\(stripHex($0))" }
                })
        }.sorted { $0.index < $1.index }
    }
}

func stripHex(_ s: String) -> String {
    s.hasPrefix("0x") ? String(s.dropFirst(2)) : s
}
