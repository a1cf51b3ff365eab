import SRIOVCore
import SRIOVHost

/// `sriovctl status`: the selected PFs as the host holds them now, and on Proxmox VE which guest
/// references each VF. Reads only.
public enum StatusUseCase {
    public struct Outcome: Sendable {
        public var pfs: [PhysicalFunction]
        /// Nil where the host is not Proxmox VE.
        public var ownership: GuestOwnership?
        /// Forwarding entries sriovctl added and that are there, by PF name (`sync-bridge-fdb`).
        public var forwarding: [String: Int] = [:]
    }

    public static func run(_ selectors: [PFSelector], on selection: HostSelection) throws -> Outcome {
        let host = try selection.open()
        let snapshot = try host.snapshot()
        let selected = try snapshot.select(selectors)
        let ownership = host.ownership(of: snapshot)
        let forwarding = try ForwardingPlanning.syncedCounts(host: host)
        try host.files.escapes.check()
        return Outcome(pfs: selected, ownership: ownership, forwarding: forwarding)
    }

    /// The names a shell offers for a PF argument: every SR-IOV PF's interface name and PCI
    /// address on the host the words typed so far name (`--root`, `--simulate`), else this
    /// machine; nothing when it cannot be read (completion must never fail).
    public static func completions(words: [String], prefix: String) -> [String] {
        guard let snapshot = try? typedHost(words).open().snapshot() else { return [] }
        return snapshot.pfs.flatMap { [$0.name, $0.pci.description].compactMap { $0 } }.filter { $0.hasPrefix(prefix) }
    }

    /// The words a shell offers for a `PF:INDEX` argument: each VF the host has now, by the PF's
    /// interface name (its PCI address where it has none).
    public static func vfCompletions(words: [String], prefix: String) -> [String] {
        guard let snapshot = try? typedHost(words).open().snapshot() else { return [] }
        return snapshot.pfs.flatMap { pf in
            (0..<max(0, pf.numVFs)).map { "\(pf.name ?? pf.pci.description):\($0)" }
        }.filter { $0.hasPrefix(prefix) }
    }

    /// The words a shell offers for a VMID: the guests on this Proxmox VE node.
    public static func guestCompletions(words: [String], prefix: String) -> [String] {
        guard let host = try? typedHost(words).open(), host.proxmox.isProxmox else { return [] }
        return host.proxmox.guests().map { String($0.vmid) }.filter { $0.hasPrefix(prefix) }.sorted()
    }

    /// The host the words typed so far name (`--root`, `--simulate`), else this machine.
    static func typedHost(_ words: [String]) -> HostSelection {
        func value(_ option: String) -> String? {
            words.firstIndex(of: option).flatMap { $0 + 1 < words.count ? words[$0 + 1] : nil }
        }
        return HostSelection(root: value("--root") ?? "/", simulate: value("--simulate"), simulateState: value("--simulate-state"))
    }
}
