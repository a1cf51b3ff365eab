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

    var devices: PCIDeviceList {
        PCIDeviceList(
            host.pfs[0].vfs.map {
                PCIDeviceInfo(
                    address: $0.pci, vendor: "0x8086", device: "0x1520", subsystemVendor: "0x8086", subsystemDevice: "0x0001",
                    iommuGroup: $0.iommuGroup)
            })
    }

    func resolve(_ guests: [ProxmoxGuest], mappings: String = "", reservations: String = "") -> GuestOwnership {
        GuestOwnership.resolve(
            guests: guests, mappings: PCIMapping.parse(mappings), node: "pve1", devices: devices,
            reservations: PCIReservation.parse(reservations))
    }

    func guest(_ vmid: Int, _ config: String, running: Bool = false) -> ProxmoxGuest {
        ProxmoxGuest(vmid: vmid, running: running, config: config)
    }

    @Test func directReferencesOwnTheirVF() {
        let o = resolve([guest(100, "hostpci0: 06:10.0,pcie=1\nmachine: q35", running: true), guest(101, "hostpci2: host=0000:06:10.4")])
        #expect(o.owner(of: PCIAddress("0000:06:10.0")!)?.vmid == 100)
        #expect(o.owner(of: PCIAddress("0000:06:10.0")!)?.running == true)
        #expect(o.owner(of: PCIAddress("0000:06:10.4")!)?.slot == 2)
        #expect(o.owner(of: PCIAddress("0000:06:11.0")!) == nil)
        #expect(o.conflicts.isEmpty)
    }

    @Test func oneVFInTwoVMsIsAConflict() {
        let o = resolve([guest(100, "hostpci0: 06:10.0"), guest(102, "hostpci1: 06:10.0")])
        #expect(o.conflicts == ["0000:06:10.0 is given to several VMs: VM 100, VM 102 (only one of them can run at a time)"])
    }

    @Test func aTemplateAndItsCloneAreNoConflict() {
        let o = resolve([guest(100, "hostpci0: 06:10.0\ntemplate: 1"), guest(101, "hostpci0: 06:10.0")])
        #expect(o.conflicts.isEmpty, "Proxmox never starts a template")
        #expect(o.owner(of: PCIAddress("0000:06:10.0")!)?.vmid == 101)
    }

    @Test func aVFThatIsGoneIsNamed() {
        let o = resolve([guest(100, "hostpci0: 06:11.6")])
        #expect(o.refusals == [100: "no PCI device found for '06:11.6'"])
        #expect(o.conflicts.count == 1 && o.conflicts[0].hasPrefix("VM 100: Proxmox will refuse to start it: no PCI device found for '06:11.6'"))
    }

    @Test func pcieWithoutQ35IsRefused() {
        let o = resolve([guest(100, "hostpci0: 06:10.0,pcie=on")])
        #expect(o.refusals == [100: "q35 machine model is not enabled"], "pcie=on is pcie=1 to Proxmox")
    }

    @Test func mappingsResolveForThisNodeAndAreCheckedAsProxmoxDoes() {
        let cfg = """
            fw
            \tmap id=8086:1520,iommugroup=20,node=pve1,path=0000:06:10.0,subsystem-id=8086:0001
            \tmap id=8086:1520,iommugroup=9,node=pve1,path=0000:06:10.4,subsystem-id=8086:0001

            other
            \tmap id=8086:1520,node=pve2,path=0000:06:11.0

            nosub
            \tmap id=8086:1520,iommugroup=22,node=pve1,path=0000:06:11.0

            """
        let o = resolve(
            [
                guest(200, "hostpci0: mapping=fw", running: true), guest(201, "hostpci0: mapping=other"),
                guest(202, "hostpci0: mapping=missing"), guest(203, "hostpci0: mapping=nosub"),
            ], mappings: cfg)
        #expect(o.owner(of: PCIAddress("0000:06:10.0")!) == nil, "a pool member no reservation gives to the running guest")
        #expect(o.poolCandidates(of: PCIAddress("0000:06:10.0")!)?.pool == "fw")
        #expect(o.owner(of: PCIAddress("0000:06:11.0")!)?.vmid == 203, "other is for another node; nosub names it alone")
        #expect(o.refusals[200] == "PCI device mapping invalid (hardware probably changed): 'iommugroup' does not match for 'fw' (21 != 9)")
        #expect(o.refusals[201] == "PCI device mapping not found for 'other'")
        #expect(o.refusals[202] == "PCI device mapping not found for 'missing'")
        #expect(
            o.refusals[203]
                == "PCI device mapping invalid (hardware probably changed): missing expected property 'subsystem-id' for device '0000:06:11.0'")
        #expect(!o.conflicts.contains { $0.contains("several VMs") }, "a pool shared by guests is not a conflict")
    }

    @Test func reservationsTellWhichPoolMemberARunningGuestHolds() {
        let cfg = """
            fw
            \tmap id=8086:1520,iommugroup=20,node=pve1,path=0000:06:10.0,subsystem-id=8086:0001
            \tmap id=8086:1520,iommugroup=21,node=pve1,path=0000:06:10.4,subsystem-id=8086:0001

            """
        let o = resolve(
            [guest(100, "hostpci0: mapping=fw"), guest(101, "hostpci0: mapping=fw", running: true)], mappings: cfg,
            reservations: "0000:06:10.4 101 pid:4242\n0000:06:10.0 999 pid:1\n")
        #expect(o.owner(of: PCIAddress("0000:06:10.4")!) == GuestOwnership.Owner(vmid: 101, running: true, slot: 0, pool: "fw"))
        #expect(o.owner(of: PCIAddress("0000:06:10.0")!) == nil, "a stale reservation of a guest that does not run holds nothing")
        #expect(o.poolCandidates(of: PCIAddress("0000:06:10.0")!)?.vmids == [100, 101])
        #expect(o.refusals.isEmpty)
    }
}
