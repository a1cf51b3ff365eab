import SRIOVCore

extension SimulatedHost: Host {
    public var kind: HostKind { .simulated(sourcePath ?? "(in memory)") }
    public var files: RootedFileSystem { RootedFileSystem(root: treeRoot ?? "/nonexistent-simulated-host-folder") }
    public var proxmox: any ProxmoxSource { SimulatedProxmox(host: self) }

    public mutating func perform(_ change: HostChange) throws(HostChangeFailure) -> HostChangeOutcome {
        guard case let .run(argv) = change else {
            let outcome = try performFileChange(change)
            record("file", change.summary)
            return outcome
        }
        let result = runProgram(argv)
        guard result.status == 0 else {
            throw HostChangeFailure(change: change, message: "exited \(result.status): \(result.errorOutput.trimmingSpaces())")
        }
        return .done(output: result.output)
    }

    public func query(_ argv: [String]) -> CommandResult? {
        var copy = self
        return copy.runProgram(argv, readOnly: true)
    }

    public func facts() -> HostFacts {
        let machine = description.machine
        var f = HostFacts()
        f.vendor = CPUVendor(vendorID: machine?.cpuVendor == "amd" ? "AuthenticAMD" : "GenuineIntel")
        f.cpuFlags = Set(machine?.cpuFlags ?? (f.vendor == .amd ? ["svm"] : ["vmx"]))
        f.kernelReleaseText = machine?.kernelRelease ?? "6.8.12-4-pve"
        f.kernel = KernelRelease(f.kernelReleaseText)
        f.cmdline = KernelCommandLine(machine?.cmdline ?? "BOOT_IMAGE=/boot/vmlinuz root=/dev/mapper/pve-root ro quiet intel_iommu=on iommu=pt")
        f.iommuGroups = machine?.iommuGroups ?? 40
        f.dmarTable = f.vendor == .intel && f.iommuGroups > 0
        f.ivrsTable = f.vendor == .amd && f.iommuGroups > 0
        f.kernelLog = machine?.kernelLog ?? []
        f.loadedModules = Set(
            (machine?.loadedModules ?? ["vfio", "vfio_pci", "vfio_iommu_type1"] + description.pfs.map(\.driver)
                + (state.loadedModules ?? [])).map { $0.normalizedModuleName() })
        let tree = files
        f.modulesConfigured = HostFactsReader(fs: tree, query: { _ in nil }).configuredModules()
        f.bootloader = Bootloader(rawValue: machine?.bootloader ?? "grub") ?? .unknown
        f.snapshot = try? snapshot()
        f.bootUnitInstalled = tree.exists("\(BootUnits.directory)/\(BootUnits.applyUnit)")
        f.bootUnitEnabled = (state.enabledUnits ?? []).contains(BootUnits.applyUnit) ? "enabled" : "disabled"
        return f
    }

    public func physicalInterfaces() -> [(name: String, permanentMAC: MACAddress)] {
        description.pfs.compactMap { pf in
            guard let name = pf.name, let mac = MACAddress(pf.permanentMac) else { return nil }
            return (name, mac)
        }
    }

    /// The simulated PCI functions: each PF and its VFs (vendor:device from `vfDevice`, subsystem
    /// ids from `vfSubsystem`).
    public func pciDevices() -> PCIDeviceList {
        var devices: [PCIDeviceInfo] = []
        let snapshot = (try? snapshot()) ?? HostSnapshot(pfs: [])
        for pf in snapshot.pfs {
            // The snapshot already holds what the description says of the VFs' ids.
            let ids = (pf.vfDeviceID ?? "0000:0000").split(separator: ":").map(String.init)
            let pfDevice = description.pfs.first { PCIAddress($0.pci) == pf.pci }?.pfDevice
            devices.append(PCIDeviceInfo(address: pf.pci, vendor: ids.first ?? "0000", device: pfDevice ?? "0000"))
            for vf in pf.vfs {
                let subsystem = vf.subsystemID?.split(separator: ":").map(String.init)
                devices.append(
                    PCIDeviceInfo(
                        address: vf.pci, vendor: ids.first ?? "0000", device: ids.last ?? "0000", subsystemVendor: subsystem?.first,
                        subsystemDevice: subsystem?.last, iommuGroup: vf.iommuGroup))
            }
        }
        return PCIDeviceList(devices)
    }

    public func save() throws {
        guard let store else { return }
        try store.save(self)
    }

    public var lockPath: String { (store?.statePath ?? "/tmp/sriovctl-simulated") + ".lock" }
    public var applyRecords: ApplyRecordStore { ApplyRecordStore(path: (store?.statePath ?? "/tmp/sriovctl-simulated") + ".last-apply.json") }
}

/// Proxmox VE as a simulated host has it: guests and mappings from its state.
struct SimulatedProxmox: ProxmoxSource {
    let isProxmox: Bool
    /// The simulated cluster file system is always there.
    var isMounted: Bool { true }
    let node: String
    let guestList: [ProxmoxGuest]
    let mappingList: [PCIMapping]

    init(host: SimulatedHost) {
        isProxmox = host.description.proxmox != nil
        node = host.description.proxmox?.node ?? ""
        guestList = (host.state.guests ?? []).map { g in
            ProxmoxGuest(vmid: g.vmid, running: g.running, config: g.configText)
        }
        mappingList = PCIMapping.parse(SimulatedProxmox.configText(host.state.mappings ?? []))
        self.host = host
    }

    /// For the reservations, worked out only when asked (they need a snapshot).
    let host: SimulatedHost

    func guests() -> [ProxmoxGuest] { guestList }
    func haManaged() -> Set<Int> { Set(host.description.proxmox?.haManaged ?? []) }
    func mappings() -> [PCIMapping] { mappingList }
    func reservations() -> [PCIReservation] {
        Self.reservations(guests: guestList, mappings: mappingList, node: node, devices: host.pciDevices())
    }

    /// What qemu-server would have recorded when the running guests started (in VMID order): each
    /// function a guest names, and from a pool the first member not yet taken
    /// (`choose_hostpci_devices`).
    static func reservations(guests: [ProxmoxGuest], mappings: [PCIMapping], node: String, devices: PCIDeviceList) -> [PCIReservation] {
        var taken: [PCIAddress: Int] = [:]
        for guest in guests.sorted(by: { $0.vmid < $1.vmid }) where guest.running && !guest.isTemplate {
            for reference in guest.references where reference.mdev == nil {
                var alternatives: [[String]] = [reference.hosts]
                if let id = reference.mapping {
                    alternatives = mappings.first { $0.id == id }?.entries(on: node).map(\.paths) ?? []
                }
                let resolved = alternatives.map { $0.flatMap(devices.matching) }
                guard let chosen = resolved.first(where: { ids in !ids.isEmpty && ids.allSatisfy { taken[$0] == nil } }) ?? resolved.first
                else { continue }
                for pci in chosen where taken[pci] == nil { taken[pci] = guest.vmid }
            }
        }
        return taken.sorted { $0.key < $1.key }.map { PCIReservation(pci: $0.key, vmid: $0.value, pid: nil) }
    }

    /// The mappings as /etc/pve/mapping/pci.cfg would hold them.
    static func configText(_ mappings: [SimulatedHostDescription.Mapping]) -> String {
        mappings.map { m in
            ([m.id] + (m.description.map { ["\tdescription \($0)"] } ?? []) + m.map.map { "\tmap \($0)" }).joined(separator: "\n")
        }.joined(separator: "\n\n")
    }
}
