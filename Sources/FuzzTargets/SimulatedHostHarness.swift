import SRIOVCore
import SRIOVHost

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// A description decoded and checked as `--simulate` does; when it passes, the host it describes
/// is read (counters at a far clock) and driven to its limits: every VF made, set and bound, and
/// each PF's forwarding table synced with its bridges.
enum SimulatedHostHarness {
    static func run(_ bytes: [UInt8]) -> FuzzTarget.Reached {
        guard let description = try? JSONDecoder().decode(SimulatedHostDescription.self, from: Data(bytes)) else { return .refused }
        guard description.problems().isEmpty else { return .parsed }
        var host = SimulatedHost(description: description)
        host.clock = { 4.0e9 }
        _ = try? host.snapshot(withCounters: true)
        for pf in description.pfs {
            try? host.setNumVFs(pf: pf.pci, to: pf.totalVfs)
            try? host.setVF(pf: pf.pci, index: 0, VFSettings(mac: MACAddress("02:00:00:00:00:01"), vlan: 4094, spoofCheck: false))
            try? host.bindVF(pf: pf.pci, index: max(0, pf.totalVfs - 1), driver: "vfio-pci")
        }
        host.clock = { 8.0e9 }
        _ = try? host.snapshot(withCounters: true)
        if let network = try? host.bridgeNetwork() {
            for pf in description.pfs {
                guard let name = pf.name else { continue }
                let sync = ForwardingSync.plan(
                    pf: name, pfMAC: MACAddress(pf.permanentMac), vfMACs: [], enabled: true, network: network, guests: [], recorded: [])
                guard !sync.isEmpty, let pci = PCIAddress(pf.pci) else { continue }
                try? host.perform(Plan.Step(pf: pci, pfName: name, action: .syncForwardingTable(sync), reason: "fuzz"))
            }
        }
        return .used
    }
}
