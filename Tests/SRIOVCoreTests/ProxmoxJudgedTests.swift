import Foundation
import SRIOVCore
import Testing

/// Every case of `../shared/fixtures/proxmox-judged/cases.json`: Proxmox's own verdicts (computed
/// by its Perl modules) on its test configs and on public real-world configs and mappings. For
/// each, sriovctl's reading must agree: who holds or may take each function and whether it runs,
/// which guests Proxmox would refuse to start and why, and each guest's network devices. The data
/// is third-party and stays outside the project; the test runs where that folder exists (CI has it).
@Suite struct ProxmoxJudgedTests {
    static let casesFile = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/fixtures/proxmox-judged/cases.json")

    static var available: Bool { FileManager.default.fileExists(atPath: casesFile.path) }

    static func cases() -> [[String: Any]] {
        guard let data = try? Data(contentsOf: casesFile), let top = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let cases = top["cases"] as? [[String: Any]]
        else { return [] }
        return cases
    }

    @Test(.enabled(if: available, "../shared/fixtures/proxmox-judged is not beside this clone"))
    func everyCaseAgreesWithProxmox() throws {
        let cases = Self.cases()
        #expect(cases.count >= 60, "the judged file holds its cases")
        var checked = 0
        for c in cases {
            let id = c["id"] as? String ?? "?"
            let node = c["node"] as? String ?? ""
            let listed = c["devices"] as? [[String: Any]] ?? []
            let devices = PCIDeviceList(
                listed.compactMap { d in
                    guard let address = PCIAddress(d["id"] as? String ?? "") else { return nil }  // slot above 0x1f: `na`
                    return PCIDeviceInfo(
                        address: address, vendor: d["vendor"] as? String ?? "", device: d["device"] as? String ?? "",
                        subsystemVendor: d["subsystem_vendor"] as? String, subsystemDevice: d["subsystem_device"] as? String,
                        iommuGroup: d["iommugroup"] as? Int, mdev: (d["mdev"] as? Int ?? 0) == 1)
                }, otherNames: listed.compactMap { $0["id"] as? String }.filter { PCIAddress($0) == nil })
            let guests = (c["vms"] as? [[String: Any]] ?? []).map { vm in
                ProxmoxGuest(vmid: vm["vmid"] as? Int ?? 0, running: vm["running"] as? Bool ?? false, config: vm["config"] as? String ?? "")
            }
            let ownership = GuestOwnership.resolve(
                guests: guests, mappings: PCIMapping.parse(c["pcicfg"] as? String ?? ""), node: node, devices: devices,
                reservations: PCIReservation.parse(c["reservations"] as? String ?? ""))
            let expect = c["expect"] as? [String: Any] ?? [:]
            for (pci, verdict) in expect["vfs"] as? [String: [String: Any]] ?? [:] {
                let address = try #require(PCIAddress(pci), "\(id): \(pci)")
                let owner = ownership.owner(of: address)
                let accept = (verdict["accept"] as? [Any] ?? []).map { $0 as? Int }
                #expect(
                    accept.contains(owner?.vmid),
                    "\(id) \(pci): sriovctl says VM \(owner.map { "\($0.vmid)" } ?? "none"), Proxmox: \(verdict["why"] ?? "")")
                if let running = verdict["running"] as? Bool {
                    #expect(
                        (owner?.running ?? false) == running, "\(id) \(pci): running \(owner?.running ?? false), Proxmox: \(verdict["why"] ?? "")")
                }
                checked += 1
            }
            let refusals = (expect["refusals"] as? [[String: Any]] ?? []).map { ($0["vmid"] as? Int ?? 0, $0["error"] as? String ?? "") }
            #expect(
                ownership.refusals == Dictionary(refusals, uniquingKeysWith: { a, _ in a }),
                "\(id): refusals \(ownership.refusals), Proxmox: \(refusals)")
            for guest in guests {
                let nics = ((expect["nics"] as? [String: [[String: Any]]])?["\(guest.vmid)"] ?? []).map {
                    GuestNIC(slot: $0["slot"] as? Int ?? -1, mac: MACAddress($0["mac"] as? String ?? "")!, bridge: $0["bridge"] as? String ?? "")
                }
                #expect(guest.nics == nics, "\(id) VM \(guest.vmid): network devices")
                checked += 1
            }
        }
        #expect(checked > 300, "every verdict was compared")
    }
}
