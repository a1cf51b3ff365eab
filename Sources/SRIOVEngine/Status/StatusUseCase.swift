import SRIOVCore
import SRIOVHost

/// `sriovctl status`: the selected PFs as the host holds them now, and on Proxmox VE which guest
/// references each VF. Reads only.
public enum StatusUseCase {
    public struct Outcome: Sendable {
        public var pfs: [PhysicalFunction]
        /// Nil where the host is not Proxmox VE.
        public var ownership: GuestOwnership?
    }

    public static func run(_ selectors: [PFSelector], on selection: HostSelection) throws -> Outcome {
        let host = try selection.open()
        let snapshot = try host.snapshot()
        let selected = try snapshot.select(selectors)
        let ownership = host.ownership(of: snapshot)
        try host.files.escapes.check()
        return Outcome(pfs: selected, ownership: ownership)
    }

    /// The names a shell offers for a PF argument: every SR-IOV PF's interface name and PCI
    /// address on this machine (nothing when it cannot be read: completion must never fail).
    public static func completions(prefix: String) -> [String] {
        guard let snapshot = try? HostSelection().open().snapshot() else { return [] }
        return snapshot.pfs.flatMap { [$0.name, $0.pci.description].compactMap { $0 } }.filter { $0.hasPrefix(prefix) }
    }
}
