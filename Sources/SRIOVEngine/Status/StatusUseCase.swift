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
}
