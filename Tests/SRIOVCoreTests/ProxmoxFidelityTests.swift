import Foundation
import SRIOVCore
import Testing

/// Guest configs, mappings and edits as Proxmox's own code reads and checks them (qemu-server's
/// `parse_vm_config` and `$hostpci_fmt`/`$net_fmt`, pve-common's `parse_property_string`,
/// pve-guest-common's `PVE::Mapping::PCI`). Fixtures are ours, written from those sources.
@Suite struct ProxmoxConfigReadingTests {
    func refs(_ text: String) -> [HostPCIReference] { HostPCIReference.parse(vmConfig: text) }

    @Test(arguments: [
        ("hostpci0: 0000:06:10.0,pcie=on", [0], [true]),
        ("hostpci0: pcie=1,0000:06:10.0", [0], [true]),
        ("hostpci0: host=06:10.0,pcie=yes,rombar=0", [0], [true]),
        ("hostpci0: 06:10.0,pcie=off", [0], [false]),
        ("hostpci0: 06:10.0,pcie=TRUE", [0], [true]),
        ("hostpci0: 0000:06:1A.0", [], []),
        ("  hostpci0: 06:10.0", [], []),
        ("hostpci16: 06:10.0", [], []),
        ("hostpci01: 06:10.0", [], []),
        ("hostpci0: 06:10.0,unsafe=1", [], []),
        ("hostpci0: 06:10.0,pcie=2", [], []),
        ("hostpci0: 06:10.0,06:10.4", [], []),
        ("hostpci0: 06:10.0,host=06:10.4", [], []),
        ("hostpci0: 06:10.0\nhostpci0: 06:10.4", [0], [false]),
        ("hostpci0: 06:10.0\rhostpci1: 06:10.4", [], []),
        ("HOSTPCI0: 06:10.0", [], []),
    ])
    func hostpciLinesAsProxmoxKeepsThem(config: String, slots: [Int], pcie: [Bool]) {
        let found = refs(config)
        #expect(found.map(\.slot) == slots, "\(config.debugDescription)")
        #expect(found.map(\.pcie) == pcie, "\(config.debugDescription)")
    }

    @Test func aDuplicateKeyKeepsTheLastValidValue() {
        let found = refs("hostpci0: 06:10.0\nhostpci0: 06:10.4\nhostpci1: 06:11.0\nhostpci1: 06:1Z.0\n")
        #expect(found.map(\.hosts) == [["06:10.4"], ["06:11.0"]], "a refused later value leaves the earlier one")
    }

    @Test func sectionsAreKeptApart() {
        let text = """
            hostpci0: 06:10.0
            [PENDING]
            hostpci1: 06:10.4
            delete: hostpci0
            [special:cloudinit]
            hostpci2: 06:11.0
            [before-upgrade]
            hostpci3: 06:11.4
            [no such thing!]
            hostpci4: 06:12.0
            """
        let guest = ProxmoxGuest(vmid: 100, running: true, config: text)
        #expect(guest.references.map(\.slot) == [0])
        #expect(guest.nextStartReferences.map(\.slot) == [1], "pending adds hostpci1 and deletes hostpci0")
        #expect(guest.warnings.contains { $0.contains("skipping unknown section") })
    }

    @Test func templatesAndMachines() {
        #expect(ProxmoxGuest(vmid: 100, running: false, config: "template: 1\n").isTemplate)
        #expect(!ProxmoxGuest(vmid: 100, running: false, config: "template: 0\n").isTemplate)
        #expect(ProxmoxGuest(vmid: 100, running: false, config: "machine: pc-q35-9.0+pve1\n").isQ35)
        #expect(ProxmoxGuest(vmid: 100, running: false, config: "machine: type=q35,viommu=intel\n").isQ35)
        #expect(!ProxmoxGuest(vmid: 100, running: false, config: "machine: pc-i440fx-9.0\n").isQ35)
    }

    @Test(arguments: GuestNIC.models)
    func everyNICModelQemuServerKnowsGivesItsMAC(model: String) {
        let nics = GuestNIC.parse(vmConfig: "net3: \(model)=BC:24:11:AA:BB:CC,bridge=vmbr0,firewall=1\n")
        #expect(nics == [GuestNIC(slot: 3, mac: MACAddress("bc:24:11:aa:bb:cc")!, bridge: "vmbr0")])
    }

    @Test(arguments: [
        "net0: virtio=BC:24:11:AA:BB:CC bridge=vmbr0",
        "net0: virtio=BD:24:11:AA:BB:CC,bridge=vmbr0",
        "net0: bridge=vmbr0,macaddr=BC:24:11:AA:BB:CC",
        "net0: virtio=BC:24:11:AA:BB:CC,bridge=vmbr0,tag=5000",
        "net0: virtio=BC:24:11:AA:BB:CC,bridge=vmbr0,model=e1000",
        "net32: virtio=BC:24:11:AA:BB:CC,bridge=vmbr0",
    ])
    func netLinesProxmoxRefusesGiveNoDevice(line: String) {
        #expect(GuestNIC.parse(vmConfig: line).isEmpty, "\(line)")
    }

    @Test func reservationsAsQemuServerWritesThem() {
        let parsed = PCIReservation.parse(
            "0000:06:10.0 100 pid:4242\n0000:06:10.4 101 time:1700000000\n0000:06:1A.0 102 pid:1\ngarbage\n06:11.0 103 pid:x\n")
        #expect(
            parsed == [
                PCIReservation(pci: PCIAddress("0000:06:10.0")!, vmid: 100, pid: 4242),
                PCIReservation(pci: PCIAddress("0000:06:10.4")!, vmid: 101, pid: nil),
            ])
    }
}

@Suite struct PCIMappingFileTests {
    @Test func entriesProxmoxRefusesAreSkippedAndSoIsAnEmptySection() {
        var warnings: [String] = []
        let mappings = PCIMapping.parse(
            """
            ok
            \tmap id=8086:1520,node=pve1,path=0000:06:10.0,iommugroup=20,subsystem-id=8086:0001,description=VF 0
            \tmap node=pve1,path=0000:06:10.4
            \tmap id=8086:1520,node=pve1,path=0000:06:10.4,bogus=1

            noid
            \tmap node=pve1,path=0000:06:11.0,iommugroup=22

            x
            \tmap id=8086:1520,node=pve1,path=0000:06:11.4

            """, warnings: &warnings)
        #expect(mappings.map(\.id) == ["ok"], "noid has no valid entry; x is no config id (two characters at least)")
        #expect(mappings[0].entries.count == 1)
        #expect(mappings[0].entries[0].subsystemID == "8086:0001")
        #expect(mappings[0].entries[0].otherParts == ["description=VF 0"])
        #expect(warnings.count == 5, "two refused map lines, noid's line and its empty section, x: \(warnings)")
    }

    @Test func aWholeDeviceWithoutFunctionIsKept() {
        let mappings = PCIMapping.parse("gpu\n\tmap id=10de:2204,node=pve,path=0000:43:00,iommugroup=14\n")
        #expect(mappings.first?.paths(on: "pve") == ["0000:43:00"])
        let devices = PCIDeviceList([
            PCIDeviceInfo(address: PCIAddress("0000:43:00.0")!, vendor: "0x10de", device: "0x2204", iommuGroup: 14),
            PCIDeviceInfo(address: PCIAddress("0000:43:00.1")!, vendor: "0x10de", device: "0x1aef", iommuGroup: 14),
        ])
        let o = GuestOwnership.resolve(
            guests: [ProxmoxGuest(vmid: 130, running: false, config: "hostpci0: mapping=gpu\n")], mappings: mappings, node: "pve",
            devices: devices)
        #expect(o.owner(of: PCIAddress("0000:43:00.1")!)?.vmid == 130, "every function of the device")
        #expect(o.refusals.isEmpty, "the first function's ids are compared, as assert_valid does")
    }

    @Test(arguments: [
        ("id=8086:1520,iommugroup=20,node=pve1,path=0000:06:10.0,subsystem-id=8086:0001", nil as String?),
        ("id=8086:1520,iommugroup=20,node=pve1,path=0000:06:10.0", "missing expected property 'subsystem-id' for device '0000:06:10.0'"),
        ("id=8086:1520,node=pve1,path=0000:06:10.0,subsystem-id=8086:0001", "missing expected property 'iommugroup' for device '0000:06:10.0'"),
        ("id=8086:10ca,iommugroup=20,node=pve1,path=0000:06:10.0,subsystem-id=8086:0001", "'id' does not match for 'fw' (8086:1520 != 8086:10ca)"),
        (
            "id=8086:1520,iommugroup=20,node=pve1,path=0000:06:10.0,subsystem-id=8086:0002",
            "'subsystem-id' does not match for 'fw' (8086:0001 != 8086:0002)"
        ),
        ("id=8086:1520,iommugroup=20,node=pve1,path=0000:06:13.0,subsystem-id=8086:0001", "pci device '0000:06:13.0' not found"),
    ])
    func validityIsProxmoxs(map: String, problem: String?) {
        let mapping = PCIMapping.parse("fw\n\tmap \(map)\n")[0]
        let devices = PCIDeviceList([
            PCIDeviceInfo(
                address: PCIAddress("0000:06:10.0")!, vendor: "0x8086", device: "0x1520", subsystemVendor: "0x8086", subsystemDevice: "0x0001",
                iommuGroup: 20)
        ])
        #expect(MappingValidity.problem(mapping: mapping, entry: mapping.entries[0], devices: devices) == problem)
    }
}

@Suite struct MinimalGuestEditTests {
    var host: HostSnapshot {
        var h = igbHost(numVFs: 2)
        h.pfs[0].vfDeviceID = "8086:1520"
        for i in h.pfs[0].vfs.indices { h.pfs[0].vfs[i].subsystemID = "8086:0001" }
        return h
    }

    func plan(_ vfLines: String, guest config: String, running: Bool = false, mappings: String = "") throws -> Plan {
        let toml = try ConfigReader.read("[[pf]]\nname = \"enp6s0f0\"\nnum-vfs = 2\n[[pf.vf]]\n\(vfLines)", path: "t.toml")
        return Planner.plan(
            try DesiredHost.resolve(
                toml, on: host, guests: [ProxmoxGuest(vmid: 100, running: running, config: config)], mappings: PCIMapping.parse(mappings),
                node: "pve1"))
    }

    func guestSteps(_ p: Plan) -> [String] {
        p.steps.compactMap { step in
            switch step.action {
            case .assignToVM, .syncMapping: PlanText.marker(step.action) + " " + PlanText.describe(step.action)
            default: nil
            }
        }
    }

    @Test func vmOnAVFAlreadyGivenWithPCIeIsLeftAlone() throws {
        #expect(guestSteps(try plan("index = 0\nvm = 100", guest: "machine: q35\nhostpci0: 0000:06:10.0,pcie=1\n")).isEmpty)
        #expect(guestSteps(try plan("index = 0\nvm = 100\npcie = true", guest: "machine: q35\nhostpci0: pcie=on,0000:06:10.0\n")).isEmpty)
    }

    @Test func onlyTheOptionThatChangesIsShownAndTheOthersKept() throws {
        let p = try plan("index = 0\nvm = 100\npcie = false", guest: "machine: q35\nhostpci0: 0000:06:10.0,pcie=1,rombar=0,x-vga=1\n")
        #expect(guestSteps(p) == ["~ VM 100 hostpci0 pcie 1 -> 0 (VF 0)"])
        guard case let .assignToVM(_, vm, slot, pcie, oldSlot, _, edit)? = p.steps.last?.action else {
            Issue.record("no edit")
            return
        }
        #expect(edit?.kept == ["rombar=0", "x-vga=1"])
        #expect(
            ProxmoxCommands.assign(vm: vm, slot: slot, device: .host(PCIAddress("0000:06:10.0")!), pcie: pcie, oldSlot: oldSlot, kept: edit!.kept)
                == ["qm", "set", "100", "--hostpci0", "host=0000:06:10.0,rombar=0,x-vga=1"])
    }

    @Test func aRunningGuestGetsTheChangeAtItsNextStart() throws {
        let p = try plan("index = 0\nvm = 100\npcie = true", guest: "machine: q35\nhostpci0: 06:10.0\n", running: true)
        #expect(p.steps.last?.reason.contains("VM 100 is running: Proxmox applies the change at its next start") == true)
        // Once qm set put it in [PENDING], the plan is done and verification reads the pending value.
        let after = try plan(
            "index = 0\nvm = 100\npcie = true", guest: "machine: q35\nhostpci0: 06:10.0\n[PENDING]\nhostpci0: 06:10.0,pcie=1\n", running: true)
        #expect(guestSteps(after).isEmpty)
    }

    @Test func idsReadFromSysfsCannotAddKeysToAMapLine() {
        var pf = host.pfs[0]
        pf.vfDeviceID = "8086:1520,node=other"
        pf.vfs[0].subsystemID = "8086:0001,path=0000:00:00.0"
        #expect(PCIMapping.mapLine(for: pf.vfs[0], of: pf, node: "pve1") == "iommugroup=20,node=pve1,path=0000:06:10.0")
        pf.vfDeviceID = "8086:15A0"
        #expect(PCIMapping.mapLine(for: pf.vfs[0], of: pf, node: "pve1").hasPrefix("id=8086:15a0,"), "lower-case, as sysfs writes it")
    }

    @Test func mappingsCarrySubsystemIDsAndAGUIMappingIsNotRefreshed() throws {
        let fresh = try plan("index = 0\nmapping = \"fw\"\nvm = 100", guest: "")
        guard
            case let .syncMapping(_, _, members, _, exists)? = fresh.steps.first(where: { if case .syncMapping = $0.action { true } else { false } })?
                .action
        else {
            Issue.record("no mapping step")
            return
        }
        #expect(!exists && members.map(\.index) == [0])
        #expect(
            PCIMapping.mapLine(for: host.pfs[0].vfs[0], of: host.pfs[0], node: "pve1")
                == "id=8086:1520,iommugroup=20,node=pve1,path=0000:06:10.0,subsystem-id=8086:0001")
        // As the GUI writes it: other key order, subsystem-id, a description of its own.
        let gui = "fw\n\tmap description=uplink,id=8086:1520,iommugroup=20,node=pve1,path=0000:06:10.0,subsystem-id=8086:0001\n"
        #expect(guestSteps(try plan("index = 0\nmapping = \"fw\"", guest: "", mappings: gui)).isEmpty)
        // A group that moved is refreshed, and the description is written back.
        let moved = gui.replacingOccurrences(of: "iommugroup=20", with: "iommugroup=7")
        let p = try plan("index = 0\nmapping = \"fw\"", guest: "", mappings: moved)
        guard case let .syncMapping(_, _, refreshed, _, true)? = p.steps.last?.action else {
            Issue.record("no refresh: \(guestSteps(p))")
            return
        }
        #expect(refreshed.first?.keep == ["description=uplink"])
    }
}

@Suite struct PropertyStringTests {
    let format = HostPCIReference.format

    @Test(arguments: [
        ("06:10.0,,pcie=1,", true), ("host=06:10.0,mapping=fw", true), (",06:10.0", true), ("06:10.0,pcie", false),
        ("06:10.0,pcie=", false), ("06:10.0,=1", false), ("06:10.0,PCIE=1", false), ("06:10.0,driver=keep", true),
        ("06:10.0,driver=other", false), ("06:10.0,vendor-id=0x8086", true), ("06:10.0,vendor-id=8086", false),
        ("06:10.0,mapping=a", false), ("06:10.0,mdev=nvidia-35", true), ("06:10.0,mdev=a.b", false),
    ])
    func acceptsWhatProxmoxAccepts(text: String, accepted: Bool) {
        if case .success = format.parse(Substring(text)) {
            #expect(accepted, "\(text)")
        } else {
            #expect(!accepted, "\(text)")
        }
    }
}
