import SRIOVCore

/// Proxmox VE guests and cluster PCI mappings as a host has them: read from /etc/pve on a real
/// host or tree, kept in the state of a simulated one.
public protocol ProxmoxSource: Sendable {
    /// Whether this host is Proxmox VE at all; everything else is empty when it is not.
    var isProxmox: Bool { get }
    /// Whether Proxmox's cluster file system is there to read. At boot /etc/pve is an empty
    /// mount point until pve-cluster.service mounts pmxcfs, after the network: no guest and no
    /// mapping can be read then, which says nothing of what the cluster holds.
    var isMounted: Bool { get }
    /// This node's name, as mappings name it.
    var node: String { get }
    func guests() -> [ProxmoxGuest]
    func mappings() -> [PCIMapping]
    /// Which running guest holds which passed-through function (`/run/qemu-server/pci-id-reservations`).
    func reservations() -> [PCIReservation]
    /// Guests Proxmox HA manages (`/etc/pve/ha/resources.cfg`): sriovctl never stops or starts them itself.
    func haManaged() -> Set<Int>
}

extension ProxmoxReader: ProxmoxSource {}
