import Netlink
import SRIOVCore

extension LinuxHost: HostActing {
    public mutating func perform(_ step: Plan.Step) throws {
        let pfDir = "/sys/bus/pci/devices/\(step.pf)"
        switch step.action {
        case .setLinkUp:
            try setLink(step, up: true, mtu: nil)
        case let .setMTU(_, to):
            try setLink(step, up: nil, mtu: UInt32(to))
        case let .setAutoprobe(_, to):
            try write(to ? "1" : "0", to: "\(pfDir)/sriov_drivers_autoprobe", step: step)
        case let .setNumVFs(_, to):
            try setNumVFs(step, pfDir: pfDir, to: to)
        case let .setVFs(changes):
            try setVFs(step, changes)
        case let .bindDriver(index, _, to):
            try bind(step, index: index, to: to)
        case let .assignToVM(index, vm, slot, pcie, oldSlot, mapping, edit):
            try assign(step, index: index, vm: vm, slot: slot, pcie: pcie, oldSlot: oldSlot, mapping: mapping, kept: edit?.kept ?? [])
        case let .syncMapping(id, node, members, otherNodes, exists):
            try syncMapping(step, id: id, node: node, members: members, otherNodes: otherNodes, exists: exists)
        case let .syncForwardingTable(sync):
            try syncForwardingTable(step, sync)
        case let .reprobe(index, _):
            let vf = try vfAddress(step, index)
            try unbindIfBound(vf, step: step)
            try probeHostDriver(vf, step: step)
        }
    }

    // MARK: - Links (netlink)

    private func setLink(_ step: Plan.Step, up: Bool?, mtu: UInt32?) throws {
        if recorder != nil {
            // No kernel under a root: the iproute2 command that would do the same is recorded.
            return try recordInstead(
                ["ip", "link", "set", "dev", step.pfName] + (up == true ? ["up"] : []) + (mtu.map { ["mtu", "\($0)"] } ?? []), step)
        }
        let socket = try openSocket()
        guard let link = try socket.link(name: step.pfName, withStats: false) else {
            throw HostError.noSuchDevice(step.pfName)
        }
        do {
            try socket.setLink(index: link.index, up: up, mtu: mtu)
        } catch let error as KernelError {
            let what = mtu.map { "MTU \($0)" } ?? "link up"
            throw StepFailure(pf: step.pfName, items: [.init(vf: nil, setting: what, message: explain(error, setting: what))])
        }
    }

    /// All changes in one RTM_SETLINK. When the kernel refuses it (it stops at the first refusal,
    /// keeping what came before), every VF and setting group is sent alone, so the error names
    /// exactly what failed and everything else still takes.
    private func setVFs(_ step: Plan.Step, _ changes: [VFSettingsChange]) throws {
        if recorder != nil {
            for change in changes { try recordInstead(IPLinkCommand.vf(pf: step.pfName, index: change.index, change.to), step) }
            return
        }
        let socket = try openSocket()
        guard let link = try socket.link(name: step.pfName, withStats: false) else { throw HostError.noSuchDevice(step.pfName) }
        do {
            try socket.setVFs(index: link.index, changes: changes.map { netlinkChange($0.index, $0.to) })
            return
        } catch is KernelError {
            // fall through to one setting at a time
        }
        var failures: [StepFailure.Item] = []
        for change in changes {
            for call in change.kernelCalls {
                do {
                    try socket.setVFs(index: link.index, changes: [netlinkChange(change.index, call.settings)])
                } catch let error as KernelError {
                    let value = VFField.allCases.compactMap { $0.text(in: call.settings) }.joined(separator: " ")
                    failures.append(
                        .init(
                            vf: change.index, setting: call.name,
                            message: explain(error, setting: "\(call.name) \(value)")))
                }
            }
        }
        if !failures.isEmpty { throw StepFailure(pf: step.pfName, items: failures) }
    }

    func recordInstead(_ argv: [String], _ step: Plan.Step) throws {
        do { _ = try runProgram(argv) } catch {
            throw StepFailure(pf: step.pfName, items: [.init(vf: nil, setting: "(record)", message: error.description)])
        }
    }

    private func netlinkChange(_ index: Int, _ s: VFSettings) -> VFChange {
        var c = VFChange(vf: UInt32(index))
        for field in VFField.allCases { field.netlink(s, into: &c) }
        return c
    }

    func explain(_ error: KernelError, setting: String) -> String {
        var text: String
        switch error.errno {
        case 95: text = "the driver does not support \(setting) on its VFs (EOPNOTSUPP)"
        case 93: text = "the driver does not support this VLAN protocol (EPROTONOSUPPORT); use 802.1Q"
        case 22:
            text = "the driver rejected \(setting) (EINVAL)"
            if setting.contains("rate") {
                text += "; some drivers (igb) only apply rate limits while the PF link runs at full speed, and min-tx-rate not at all"
            }
        case 1, 13: text = "permission denied (\(errnoName(error.errno))): run as root"
        default: text = "the kernel refused \(setting): \(errnoName(error.errno))"
        }
        if let message = error.message, !message.isEmpty { text += " — kernel says: \(message)" }
        return text
    }

    func openSocket() throws -> RouteSocket {
        do {
            return try RouteSocket()
        } catch let error as SocketError {
            throw HostError.system(operation: "netlink \(error.call)", target: "NETLINK_ROUTE", errno: error.errno)
        }
    }

    // MARK: - Proxmox VE guests

    /// Through Proxmox's own tool, which takes the cluster lock: never by editing /etc/pve.
    private func assign(
        _ step: Plan.Step, index: Int, vm: Int, slot: Int, pcie: Bool, oldSlot: Int?, mapping: String?, kept: [String]
    ) throws {
        let device = try mapping.map(HostPCIDevice.mapping) ?? .host(vfAddress(step, index))
        try runProxmox(
            ProxmoxCommands.assign(vm: vm, slot: slot, device: device, pcie: pcie, oldSlot: oldSlot, kept: kept),
            step: step, vf: index, setting: "vm")
    }

    /// This node's entries of the mapping, from the VFs' live addresses and IOMMU groups; the
    /// other nodes' entries are handed back as they were.
    private func syncMapping(
        _ step: Plan.Step, id: String, node: String, members: [MappingMember], otherNodes: [String],
        exists: Bool
    ) throws {
        guard ProxmoxCommands.isNodeName(node) else {
            throw StepFailure(
                pf: step.pfName,
                items: [
                    .init(
                        vf: nil, setting: "mapping \(id)",
                        message:
                            "this node's name \(node.debugDescription) is not a Proxmox node name (letters, digits and inner -); fix /etc/hostname")
                ])
        }
        var maps = otherNodes
        let snapshot = try snapshot()
        for member in members {
            guard let pf = snapshot.pfs.first(where: { $0.pci == member.pf }), let vf = pf.vfs.first(where: { $0.index == member.index }) else {
                throw StepFailure(pf: step.pfName, items: [.init(vf: member.index, setting: "mapping \(id)", message: "the VF does not exist")])
            }
            maps.append(PCIMapping.mapLine(for: vf, of: pf, node: node, keep: member.keep))
        }
        try runProxmox(ProxmoxCommands.syncMapping(id: id, exists: exists, maps: maps), step: step, vf: nil, setting: "mapping \(id)")
    }

    private func runProxmox(_ argv: [String], step: Plan.Step, vf: Int?, setting: String) throws {
        do {
            _ = try runProgram(argv)
        } catch {
            throw StepFailure(pf: step.pfName, items: [.init(vf: vf, setting: setting, message: error.description)])
        }
    }

    // MARK: - Drivers (sysfs)

    private func bind(_ step: Plan.Step, index: Int, to target: DriverChoice) throws {
        let vf = try vfAddress(step, index)
        let dev = "/sys/bus/pci/devices/\(vf)"
        let override: String
        switch target {
        case .vfioPCI:
            try loadVFIO(step, index: index)
            override = "vfio-pci"
        case .host: override = "\n"  // cleared: the kernel picks the PF driver's own VF driver
        case .none: override = "none"  // matches no driver, so nothing binds until it is cleared
        case .keep: return
        }
        try write(override, to: "\(dev)/driver_override", step: step)
        try unbindIfBound(vf, step: step)
        switch target {
        case .host: try probeHostDriver(vf, step: step)
        case .vfioPCI: try write(vf.description, to: "/sys/bus/pci/drivers_probe", step: step)
        case .none, .keep: break
        }
    }

    /// Asks the kernel to bind the VF's own driver (`drivers_probe`). When none took it, the
    /// driver's module is not loaded yet (at boot, before udev has loaded it): it is loaded
    /// (`modprobe`) and the VF probed again. Only then, since a program start costs more than
    /// the probe.
    private func probeHostDriver(_ vf: PCIAddress, step: Plan.Step) throws {
        try write(vf.description, to: "/sys/bus/pci/drivers_probe", step: step)
        if loadModule(for: vf) { try write(vf.description, to: "/sys/bus/pci/drivers_probe", step: step) }
    }

    /// Loads the VF's own driver module when no driver has it, as udev would for its modalias
    /// (`modprobe -b -q pci:v...`, blacklists honoured): at boot sriovctl.service runs before
    /// udev has loaded igbvf or iavf, and drivers_probe then binds nothing (lab 58). Best effort:
    /// what is bound in the end is verified. True when `modprobe` ran.
    private func loadModule(for vf: PCIAddress) -> Bool {
        let dev = "/sys/bus/pci/devices/\(vf)"
        guard !fs.exists("\(dev)/driver"), let alias = fs.readText("\(dev)/modalias"), Self.isPCIModalias(alias) else { return false }
        return (try? runProgram(["modprobe", "-b", "-q", alias])) != nil
    }

    /// A PCI modalias as the kernel writes it (`pci:v00008086d00001520sv...`): read from sysfs,
    /// it is checked before it becomes a program argument.
    public static func isPCIModalias(_ text: String) -> Bool {
        text.hasPrefix("pci:v") && text.utf8.count <= 128
            && text.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5a) || ($0 >= 0x61 && $0 <= 0x7a) || $0 == 0x3a }
    }

    /// Unbinds the VF from its driver, if one is bound. Right after VFs are created the kernel
    /// (or udev) may still be binding or unbinding one: a driver link that is gone by the time
    /// `driver/unbind` is written (ENOENT, ENODEV) means the VF is bound to nothing, which is
    /// what unbinding wanted (found at boot after `boot enable --take-over`, issue 26).
    private func unbindIfBound(_ vf: PCIAddress, step: Plan.Step) throws {
        let dev = "/sys/bus/pci/devices/\(vf)"
        guard fs.exists("\(dev)/driver") else { return }
        do {
            try fs.write(vf.description, to: "\(dev)/driver/unbind")
        } catch  where error.errno == 2 || error.errno == 19 {  // ENOENT, ENODEV
            return
        } catch {
            throw StepFailure(pf: step.pfName, items: [.init(vf: nil, setting: "\(dev)/driver/unbind", message: explain(error, count: nil))])
        }
    }

    /// Loads vfio-pci when it is not loaded yet (`modprobe vfio-pci`): binding a VF for a VM
    /// needs it, and at boot nothing may have loaded it.
    private func loadVFIO(_ step: Plan.Step, index: Int) throws {
        guard !fs.exists("/sys/bus/pci/drivers/vfio-pci") else { return }
        var detail = "it is not loaded"
        do {
            // Under a root the program is recorded, not run: the tree's drivers stay as captured.
            if try runProgram(["modprobe", "vfio-pci"]).wasRecorded || fs.exists("/sys/bus/pci/drivers/vfio-pci") { return }
            detail = "`modprobe vfio-pci` ran, but no vfio-pci driver appeared"
        } catch {
            detail = error.description
        }
        throw StepFailure(
            pf: step.pfName,
            items: [
                .init(
                    vf: index, setting: "driver",
                    message: "vfio-pci is needed but \(detail) (is the IOMMU on? `sriovctl host prepare` sets it up)")
            ])
    }

    private func vfAddress(_ step: Plan.Step, _ index: Int) throws -> PCIAddress {
        guard let name = fs.linkTargetName("/sys/bus/pci/devices/\(step.pf)/virtfn\(index)"), let pci = PCIAddress(name) else {
            throw HostError.noSuchDevice("\(step.pfName) VF \(index)")
        }
        return pci
    }

    /// Writes the count, then reads it back: a driver may enable fewer without an error
    /// (bnxt_en while the PF is down), and the steps after this one need the VFs.
    private func setNumVFs(_ step: Plan.Step, pfDir: String, to count: Int) throws {
        let profile = DriverProfile.of(driver: fs.linkTargetName("\(pfDir)/driver"), vfDevice: vfDevice(pfDir))
        try write("\(count)", to: "\(pfDir)/sriov_numvfs", step: step, count: count, profile: profile)
        guard recorder == nil, let enabled = fs.readInt("\(pfDir)/sriov_numvfs"), enabled != count else { return }
        let why =
            profile.vfsNeedLinkUp.map { "\(profile.driver) creates no VFs while the PF is down (\($0)); bring it up and apply again" }
            ?? profile.mayEnableFewer.map { "\(profile.driver) enables what its firmware grants (\($0))" }
            ?? "the kernel log (dmesg) says why"
        throw StepFailure(
            pf: step.pfName,
            items: [.init(vf: nil, setting: "\(pfDir)/sriov_numvfs", message: "\(count) VFs asked, \(enabled) enabled: \(why)")])
    }

    private func vfDevice(_ pfDir: String) -> String? {
        guard let vendor = fs.readText("\(pfDir)/vendor"), let device = fs.readText("\(pfDir)/sriov_vf_device") else { return nil }
        return "\(stripHex(vendor)):\(stripHex(device))"
    }

    private func write(_ value: String, to path: String, step: Plan.Step, count: Int? = nil, profile: DriverProfile? = nil) throws {
        do {
            try fs.write(value, to: path)
        } catch {
            throw StepFailure(
                pf: step.pfName, items: [.init(vf: nil, setting: path, message: explain(error, count: count, profile: profile))])
        }
    }

    private func explain(_ error: SysfsWriteError, count: Int?, profile: DriverProfile? = nil) -> String {
        if let n = count, let limit = profile?.vfLimit, n > limit.count, error.errno == 1 {
            return "\(limit.why) (EPERM; \(limit.source)); ask for \(limit.count) or fewer"
        }
        if let n = count, error.errno == 28 {
            return "the PF ran out of interrupt vectors or queues for \(n) VFs (ENOSPC)"
                + (profile?.vectorsRunOut.map { ": \($0.value) (\($0.source))" } ?? "")
                + ". Ask for fewer VFs, or unload the RDMA driver (`modprobe -r irdma`, and blacklist it if the host does not use RDMA) and apply again"
        }
        switch (error.errno, count) {
        case (12, let n?):
            return "the kernel could not make \(n) VFs (ENOMEM): the firmware left too little PCI memory for them. "
                + "Add pci=realloc to the kernel command line and reboot (`sriovctl check` shows the kernel log; pci=assign-busses is the last resort)"
        case (34, let n?):
            return "\(n) VFs is more than the device offers (ERANGE; see sriov_totalvfs)"
        case (16, _?):
            return "the device is busy (EBUSY): VFs already exist (the kernel changes a non-zero count only through 0) or one is in use"
        case (1, _), (13, _):
            return "permission denied: run as root"
        default:
            return error.description
        }
    }
}
