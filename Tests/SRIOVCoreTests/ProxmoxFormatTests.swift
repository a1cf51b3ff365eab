import Foundation
import SRIOVCore
import Testing

/// Proxmox file shapes: the qemu-server test configs and a mapping/pci.cfg in ../shared/fixtures
/// (skipped with a reason where that folder is absent, as in a user's clone), and our own cases.
@Suite struct ProxmoxFormatTests {
    static let shared = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/fixtures/proxmox")

    func sharedFile(_ path: String) -> String? {
        try? String(contentsOf: Self.shared.appendingPathComponent(path), encoding: .utf8)
    }

    @Test func qemuServerTestConfigsParse() throws {
        let dir = Self.shared.appendingPathComponent("qemu-server")
        guard let files = try? FileManager.default.contentsOfDirectory(atPath: dir.path).filter({ $0.hasSuffix(".conf") }), !files.isEmpty else {
            print("skipped: ../shared/fixtures/proxmox is not here (a user's clone has no ../shared)")
            return
        }
        for file in files {
            let text = try String(contentsOf: dir.appendingPathComponent(file), encoding: .utf8)
            let declared = text.split(separator: "\n").prefix { !$0.hasPrefix("[") }.filter { $0.hasPrefix("hostpci") }.count
            let references = HostPCIReference.parse(vmConfig: text)
            #expect(references.count == declared, "\(file)")
            // The QEMU command line Proxmox builds names every host= device (a template's does
            // not: templates never run with their devices).
            if let cmd = sharedFile("qemu-server/\(file).cmd"), !text.contains("\ntemplate: 1") {
                for host in references.flatMap(\.hosts) {
                    let full = host.split(separator: ":").count == 2 ? "0000:\(host)" : host
                    // A whole device (no function) passes every function: host=ADDR.0, .1, ...
                    let named = host.contains(".") ? "host=\(full)" : "host=\(full)."
                    #expect(cmd.contains(named), "\(file): \(host)")
                }
            }
        }
    }

    @Test func mappingReferencesAndDriverKeep() throws {
        guard let mapping = sharedFile("qemu-server/q35-linux-hostpci-mapping.conf"),
              let keep = sharedFile("qemu-server/q35-linux-hostpci-driver-keep.conf") else {
            print("skipped: ../shared/fixtures/proxmox is not here")
            return
        }
        let refs = HostPCIReference.parse(vmConfig: mapping)
        #expect(refs.map(\.mapping) == ["someNic", "someGpu", "someNic"])
        #expect(refs.allSatisfy { $0.hosts.isEmpty }, "host= and mapping= never together")
        #expect(!HostPCIReference.parse(vmConfig: keep).isEmpty)
    }

    @Test func pciCfgParses() {
        guard let text = sharedFile("mapping/pci.cfg") else { print("skipped: ../shared/fixtures/proxmox is not here"); return }
        let mappings = PCIMapping.parse(text)
        #expect(mappings.map(\.id) == ["someNic", "someGpu"])
        let nic = mappings[0]
        #expect(nic.description == "i350 virtual functions for firewall guests")
        #expect(nic.paths(on: "pve1") == ["0000:07:10.0", "0000:07:10.4"])
        #expect(nic.paths(on: "pve2") == ["0000:41:10.0", "0000:41:10.4"], "one map line, a pool of two")
        #expect(nic.entries.first?.iommuGroup == 2 && nic.entries.first?.id == "8086:1520")
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
        GuestOwnership.resolve(guests: guests, mappings: PCIMapping.parse(mappings), node: "pve1", snapshot: host,
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
        #expect(o.conflicts == ["VM 100 hostpci0 names 0000:06:11.6, which is not on this host (a VF that no longer exists, or a removed card): the VM will not start"])
    }

    @Test func mappingsResolveForThisNodeAndGroupsAreChecked() {
        let cfg = "fw\n\tmap id=8086:1520,iommugroup=20,node=pve1,path=0000:06:10.0\n\tmap id=8086:1520,iommugroup=9,node=pve1,path=0000:06:10.4\n\nother\n\tmap id=8086:1520,node=pve2,path=0000:06:11.0\n"
        let o = resolve([guest(200, "hostpci0: mapping=fw", running: true), guest(201, "hostpci0: mapping=other"),
                         guest(202, "hostpci0: mapping=missing")], mappings: cfg)
        #expect(o.owner(of: PCIAddress("0000:06:10.0")!)?.pool == "fw", "a pool of two on this node")
        #expect(o.owner(of: PCIAddress("0000:06:11.0")!) == nil, "the mapping is for another node")
        #expect(o.conflicts.contains { $0.contains("0000:06:10.4 is in IOMMU group 9, but it is in group 21 now") })
        #expect(o.conflicts.contains { $0.contains("mapping missing, which /etc/pve/mapping/pci.cfg does not define") })
        #expect(!o.conflicts.contains { $0.contains("several VMs") }, "a pool shared by guests is not a conflict")
    }
}
