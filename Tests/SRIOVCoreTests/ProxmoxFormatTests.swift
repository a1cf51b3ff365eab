import Foundation
import SRIOVCore
import Testing

/// Proxmox file shapes: the qemu-server test configs and a mapping/pci.cfg in ../shared/fixtures
/// (skipped with a reason where that folder is absent, as in a user's clone), and our own cases.
@Suite struct ProxmoxFormatTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/proxmox")

    func fixture(_ path: String) throws -> String {
        try String(contentsOf: Self.fixtures.appendingPathComponent(path), encoding: .utf8)
    }

    @Test func aFirewallGuestsHostpciLines() throws {
        let refs = HostPCIReference.parse(vmConfig: try fixture("qemu-server/100.conf"))
        #expect(refs.map(\.slot) == [0, 1, 3, 5], "[PENDING] and the snapshot section are not the running config")
        #expect(refs.map(\.hosts) == [["0000:06:10.0"], ["06:10.4", "06:11.0"], ["06:11.4"], ["0000:06:12.0"]])
        #expect(refs.map(\.pcie) == [true, true, false, true])
        #expect(refs[1].names(PCIAddress("0000:06:11.0")!) && !refs[1].names(PCIAddress("0000:06:11.4")!))
        #expect(refs.allSatisfy { $0.mapping == nil })
    }

    @Test func mappingReferences() throws {
        let refs = HostPCIReference.parse(vmConfig: try fixture("qemu-server/101.conf"))
        #expect(refs.map(\.mapping) == ["fw-pool", "gpu", "fw-pool"])
        #expect(refs.map(\.pcie) == [true, false, false])
        #expect(refs.allSatisfy { $0.hosts.isEmpty }, "host= and mapping= never together")
    }

    @Test func aWholeDeviceNamesEveryFunction() throws {
        let refs = HostPCIReference.parse(vmConfig: try fixture("qemu-server/102.conf"))
        #expect(refs.count == 2)
        #expect(refs[0].names(PCIAddress("0000:41:00.0")!) && refs[0].names(PCIAddress("0000:41:00.3")!))
        #expect(!refs[0].names(PCIAddress("0000:41:01.0")!))
        #expect(refs[1].names(PCIAddress("0000:42:00.1")!))
    }

    @Test func pciCfgParses() throws {
        let mappings = PCIMapping.parse(try fixture("mapping/pci.cfg"))
        #expect(mappings.map(\.id) == ["fw-pool", "gpu"])
        let nic = mappings[0]
        #expect(nic.description == "i350 VFs for firewall guests")
        #expect(nic.paths(on: "pve1") == ["0000:06:10.0", "0000:06:10.4"])
        #expect(nic.paths(on: "pve2") == ["0000:41:10.0", "0000:41:10.4"], "one map line, a pool of two")
        #expect(nic.entries.first?.iommuGroup == 20 && nic.entries.first?.id == "8086:1520")
        #expect(mappings[1].paths(on: "pve1") == ["0000:01:00.4"])
    }

    @Test(arguments: [
        ("hostpci0: 0000:06:10.0,pcie=1", "0000:06:10.0", true),
        ("hostpci0: host=06:10.4;06:11.0", "0000:06:11.0", true),
        ("hostpci1: 06:10", "0000:06:10.4", true),
        ("hostpci0: 06:10.0", "0000:06:10.4", false),
        ("hostpci0: mapping=nic", "0000:06:10.0", false),
    ])
    func referencesNameDevices(line: String, pci: String, names: Bool) {
        let ref = HostPCIReference.parse(vmConfig: "boot: order=scsi0\n\(line)\nmemory: 2048\n")
        #expect(ref.first?.names(PCIAddress(pci)!) == names)
    }

    @Test func snapshotSectionsAreNotTheRunningConfig() {
        let refs = HostPCIReference.parse(vmConfig: "hostpci0: 06:10.0\n\n[before-upgrade]\nhostpci1: 06:10.4\n")
        #expect(refs.map(\.slot) == [0])
    }
}

@Suite struct GuestOwnershipTests {
    let host = igbHost(numVFs: 3)  // VFs 0000:06:10.0, 06:10.4, 06:11.0 in groups 20-22

    func resolve(_ guests: [ProxmoxGuest], mappings: String = "", exists: Set<String> = []) -> GuestOwnership {
        GuestOwnership.resolve(
            guests: guests, mappings: PCIMapping.parse(mappings), node: "pve1", snapshot: host,
            deviceExists: { exists.contains($0.description) })
    }

    func guest(_ vmid: Int, _ line: String, running: Bool = false) -> ProxmoxGuest {
        ProxmoxGuest(vmid: vmid, running: running, references: HostPCIReference.parse(vmConfig: line))
    }

    @Test func directReferencesOwnTheirVF() {
        let o = resolve([guest(100, "hostpci0: 06:10.0,pcie=1", running: true), guest(101, "hostpci2: host=0000:06:10.4")])
        #expect(o.owner(of: PCIAddress("0000:06:10.0")!)?.vmid == 100)
        #expect(o.owner(of: PCIAddress("0000:06:10.0")!)?.running == true)
        #expect(o.owner(of: PCIAddress("0000:06:10.4")!)?.slot == 2)
        #expect(o.owner(of: PCIAddress("0000:06:11.0")!) == nil)
        #expect(o.conflicts.isEmpty)
    }

    @Test func oneVFInTwoVMsIsAConflict() {
        let o = resolve([guest(100, "hostpci0: 06:10.0"), guest(102, "hostpci1: 06:10.0")])
        #expect(o.conflicts == ["0000:06:10.0 is given to several VMs: VM 100, VM 102"])
    }

    @Test func aVFThatIsGoneIsNamed() {
        let o = resolve([guest(100, "hostpci0: 06:11.6")])
        #expect(
            o.conflicts == [
                "VM 100 hostpci0 names 0000:06:11.6, which is not on this host (a VF that no longer exists, or a removed card): the VM will not start"
            ])
    }

    @Test func mappingsResolveForThisNodeAndGroupsAreChecked() {
        let cfg =
            "fw\n\tmap id=8086:1520,iommugroup=20,node=pve1,path=0000:06:10.0\n\tmap id=8086:1520,iommugroup=9,node=pve1,path=0000:06:10.4\n\nother\n\tmap id=8086:1520,node=pve2,path=0000:06:11.0\n"
        let o = resolve(
            [
                guest(200, "hostpci0: mapping=fw", running: true), guest(201, "hostpci0: mapping=other"),
                guest(202, "hostpci0: mapping=missing"),
            ], mappings: cfg)
        #expect(o.owner(of: PCIAddress("0000:06:10.0")!)?.pool == "fw", "a pool of two on this node")
        #expect(o.owner(of: PCIAddress("0000:06:11.0")!) == nil, "the mapping is for another node")
        #expect(o.conflicts.contains { $0.contains("0000:06:10.4 is in IOMMU group 9, but it is in group 21 now") })
        #expect(o.conflicts.contains { $0.contains("mapping missing, which /etc/pve/mapping/pci.cfg does not define") })
        #expect(!o.conflicts.contains { $0.contains("several VMs") }, "a pool shared by guests is not a conflict")
    }
}
