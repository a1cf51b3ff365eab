import SRIOVCore

extension LinuxHost: Host {
    public var kind: HostKind { fs.isRooted ? .tree(fs.root) : .machine }
    public var files: RootedFileSystem { fs }
    public var proxmox: any ProxmoxSource { ProxmoxReader(fs: fs) }

    public mutating func perform(_ change: HostChange) throws(HostChangeFailure) -> HostChangeOutcome {
        guard case let .run(argv) = change else { return try performFileChange(change) }
        return try runProgram(argv)
    }

    /// Runs a program for real, or under a root records it (`run/sriovctl/commands.log`).
    func runProgram(_ argv: [String]) throws(HostChangeFailure) -> HostChangeOutcome {
        let change = HostChange.run(argv)
        if let recorder {
            do { try recorder.record(argv) } catch { throw HostChangeFailure(change: change, message: error.description) }
            return .recorded
        }
        let result: CommandResult
        do { result = try runner.run(argv) } catch { throw HostChangeFailure(change: change, message: "\(error)") }
        guard result.status == 0 else {
            let said = (result.errorOutput.isEmpty ? result.output : result.errorOutput).trimmingSpaces()
            throw HostChangeFailure(change: change, message: "exited \(result.status)" + (said.isEmpty ? "" : ": \(said)"))
        }
        return .done(output: result.output)
    }

    public func query(_ argv: [String]) -> CommandResult? {
        fs.isRooted ? nil : try? runner.run(argv)
    }

    public func facts() -> HostFacts { HostFactsReader(fs: fs, query: query).facts(snapshot: try? snapshot()) }

    public func physicalInterfaces() -> [(name: String, permanentMAC: MACAddress)] {
        HostFactsReader(fs: fs, query: query).physicalInterfaces()
    }

    public func pciDevices() -> PCIDeviceList {
        let fs = self.fs
        return PCIDeviceList(
            lookup: { pci in
                let dir = "/sys/bus/pci/devices/\(pci)"
                guard let vendor = fs.readText("\(dir)/vendor"), let device = fs.readText("\(dir)/device") else { return nil }
                return PCIDeviceInfo(
                    address: pci, vendor: vendor, device: device, subsystemVendor: fs.readText("\(dir)/subsystem_vendor"),
                    subsystemDevice: fs.readText("\(dir)/subsystem_device"),
                    iommuGroup: fs.linkTargetName("\(dir)/iommu_group").flatMap { Int($0) },
                    mdev: fs.exists("\(dir)/mdev_supported_types") || fs.exists("\(dir)/nvidia"))
            },
            addresses: { fs.list("/sys/bus/pci/devices").compactMap(PCIAddress.init).sorted() },
            otherNames: { fs.list("/sys/bus/pci/devices").filter { PCIAddress($0) == nil } })
    }

    public func save() throws {}

    /// Under `--root` the folder is resolved inside the tree: a `run/` or `run/sriovctl` that is a
    /// link out of it is recorded as an escape (and apply stops on it) instead of written through.
    public var lockPath: String { fs.runFolder + "/apply.lock" }
    public var applyRecords: ApplyRecordStore { ApplyRecordStore(path: fs.runFolder + "/last-apply.json") }

    public func takeRecordedCommands() -> [[String]] { recorder?.take() ?? [] }
}
