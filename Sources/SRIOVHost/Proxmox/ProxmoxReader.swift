import SRIOVCore

/// Reads Proxmox VE's guest configs and PCI mappings from /etc/pve (pmxcfs), read-only.
/// On a host that is not Proxmox (no /etc/pve) everything here is off.
public struct ProxmoxReader: Sendable {
    public let fs: RootedFileSystem

    public init(fs: RootedFileSystem) { self.fs = fs }

    public var isProxmox: Bool { fs.exists("/etc/pve") }

    /// pmxcfs always holds entries (`.version`, `nodes`, ...): an empty /etc/pve is the bare
    /// mount point, before pve-cluster.service has mounted it.
    public var isMounted: Bool { !fs.list("/etc/pve").isEmpty }

    /// This node's name, as Proxmox uses it in mappings: the short host name.
    public var node: String {
        let name = fs.readText("/etc/hostname") ?? fs.readText("/proc/sys/kernel/hostname") ?? ""
        return String(name.split(separator: ".").first ?? "")
    }

    /// Every VM of this node, with whether it is running (its pid file names a live process).
    public func guests() -> [ProxmoxGuest] {
        let dir = "/etc/pve/qemu-server"
        return fs.list(dir).compactMap { file in
            guard file.hasSuffix(".conf"), let vmid = Int(file.dropLast(5)), let text = fs.readText("\(dir)/\(file)") else { return nil }
            let pid = fs.readText("/var/run/qemu-server/\(vmid).pid").flatMap { Int($0.trimmingSpaces()) }
            let running = pid.map { fs.exists("/proc/\($0)") } ?? false
            return ProxmoxGuest(vmid: vmid, running: running, config: text, pid: running ? pid : nil)
        }
    }

    public func mappings() -> [PCIMapping] {
        PCIMapping.parse(fs.readText("/etc/pve/mapping/pci.cfg") ?? "")
    }

    /// `vm: VMID` section headers of `/etc/pve/ha/resources.cfg` (a SectionConfig).
    public func haManaged() -> Set<Int> {
        Self.haManaged(fs.readText("/etc/pve/ha/resources.cfg") ?? "")
    }

    static func haManaged(_ text: String) -> Set<Int> {
        var result: Set<Int> = []
        for line in text.split(separator: "\n") where line.hasPrefix("vm:") {
            if let vmid = Int(line.dropFirst(3).trimmingSpaces()), (100...999_999_999).contains(vmid) { result.insert(vmid) }
        }
        return result
    }

    public func reservations() -> [PCIReservation] {
        PCIReservation.parse(fs.readText("/run/qemu-server/pci-id-reservations") ?? "")
    }
}
