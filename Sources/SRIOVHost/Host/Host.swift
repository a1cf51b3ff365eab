import SRIOVCore

/// Which host a command acts on, for messages.
public enum HostKind: Hashable, Sendable {
    /// This machine's kernel and files.
    case machine
    /// A host tree under a folder (`--root`): files there, no program runs.
    case tree(String)
    /// A simulated host (`--simulate FILE`).
    case simulated(String)

    public var label: String {
        switch self {
        case .machine: "this machine"
        case let .tree(root): "the host tree \(root)"
        case let .simulated(file): "the simulated host \(file)"
        }
    }
}

/// The one boundary between sriovctl's decisions and a host: it is observed (SR-IOV state,
/// files, Proxmox guests, facts for `check`) and changed one step at a time (plan steps,
/// `HostChange`s). Three hosts implement it: the real machine (`LinuxHost` at `/`), a host tree
/// (`LinuxHost` under `--root`, where no program runs) and `SimulatedHost`.
public protocol Host: HostActing {
    var kind: HostKind { get }
    /// The host's files (its root: `/`, the tree, or the simulated host's own folder).
    var files: RootedFileSystem { get }
    /// Proxmox VE guests and cluster mappings as this host has them.
    var proxmox: any ProxmoxSource { get }
    /// Writes or removes a file, or runs (records, simulates) a program.
    mutating func perform(_ change: HostChange) throws(HostChangeFailure) -> HostChangeOutcome
    /// A program that only reads (`systemctl is-enabled`, `journalctl`, `dmesg`); nil where
    /// programs do not run (a host tree).
    func query(_ argv: [String]) -> CommandResult?
    /// What `check` and `host prepare` judge: CPU, IOMMU, kernel command line, modules, devices.
    func facts() -> HostFacts
    /// Physical network interfaces and their permanent MACs (for pinning names).
    func physicalInterfaces() -> [(name: String, permanentMAC: MACAddress)]
    /// Links and forwarding tables (bridges, bonds, what each bridge learned, each NIC's own
    /// table), for `sync-bridge-fdb`. Read only when a PF asks for it or sriovctl added entries.
    func bridgeNetwork() throws -> BridgeNetwork
    /// The host's PCI functions as Proxmox reads them (ids, IOMMU group, mdev), looked up lazily.
    func pciDevices() -> PCIDeviceList
    /// Keeps what changed (a simulated host's state file); nothing to do on a real host.
    func save() throws
    /// Where one apply at a time is enforced, and where the last apply is kept.
    var lockPath: String { get }
    var applyRecords: ApplyRecordStore { get }
}

extension Host {
    /// Writes or removes a file of this host; shared by every host, each with its own root.
    public func performFileChange(_ change: HostChange) throws(HostChangeFailure) -> HostChangeOutcome {
        do {
            switch change {
            case let .writeFile(path, text, mode): try files.replace(path, with: text, mode: mode)
            case let .removeFile(path): try files.remove(path)
            case .run: return .recorded
            }
        } catch {
            throw HostChangeFailure(change: change, message: error.description)
        }
        return .done(output: "")
    }

    /// Who references which VF, from this host's guests and mappings.
    public func ownership(of snapshot: HostSnapshot) -> GuestOwnership? {
        let proxmox = self.proxmox
        guard proxmox.isProxmox else { return nil }
        return GuestOwnership.resolve(
            guests: proxmox.guests(), mappings: proxmox.mappings(), node: proxmox.node, devices: pciDevices(),
            reservations: proxmox.reservations())
    }
}
