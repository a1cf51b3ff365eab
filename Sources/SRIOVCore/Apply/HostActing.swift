/// A host that can be changed, one planned step at a time, and asked who uses its VFs.
public protocol HostActing: HostObserving {
    /// Performs one step; throws `HostError` or `StepFailure` saying exactly what was refused.
    mutating func perform(_ step: Plan.Step) throws
    /// Who holds any of these VFs of `pf`: a process with its VFIO group open, a VM, a netdev in use.
    func holders(of vfs: [VirtualFunction], on pf: PhysicalFunction) -> [VFHolder]
    /// Programs recorded instead of run since the last call (a host tree under `--root`), so the
    /// user is told `would run: ...`.
    func takeRecordedCommands() -> [[String]]
}

extension HostActing {
    public func takeRecordedCommands() -> [[String]] { [] }
}

/// Something that uses a VF, so removing or rebinding it would break it (or hang the kernel).
public struct VFHolder: Hashable, Sendable, CustomStringConvertible {
    public var pf: String
    public var index: Int
    public var pci: PCIAddress
    /// Who, in words: `process 1234 (qemu-system-x86) has /dev/vfio/5 open`, `VM 100 is running`.
    public var holder: String

    public init(pf: String, index: Int, pci: PCIAddress, holder: String) {
        self.pf = pf
        self.index = index
        self.pci = pci
        self.holder = holder
    }

    public var description: String { "\(pf) VF \(index) (\(pci)) is in use: \(holder)" }
}

/// A step the host refused in part: which VF settings failed and why. Settings not listed took.
public struct StepFailure: Error, Hashable, Sendable, CustomStringConvertible {
    public struct Item: Hashable, Sendable {
        public var vf: Int?
        public var setting: String
        public var message: String

        public init(vf: Int?, setting: String, message: String) {
            self.vf = vf
            self.setting = setting
            self.message = message
        }
    }

    public var pf: String
    public var items: [Item]

    public init(pf: String, items: [Item]) {
        self.pf = pf
        self.items = items
    }

    public var description: String {
        items.map { item in
            (item.vf.map { "\(pf) VF \($0) \(item.setting)" } ?? "\(pf) \(item.setting)") + ": " + item.message
        }.joined(separator: "\n")
    }
}
