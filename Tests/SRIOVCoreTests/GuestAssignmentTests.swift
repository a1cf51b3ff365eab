import SRIOVCore
import Testing

@Suite struct GuestAssignmentTests {
    let host = igbHost(numVFs: 2)  // VF 0 at 0000:06:10.0, VF 1 at 0000:06:10.4

    func guest(_ vmid: Int, _ lines: String = "", running: Bool = false) -> ProxmoxGuest {
        ProxmoxGuest(vmid: vmid, running: running, references: HostPCIReference.parse(vmConfig: lines))
    }

    func plan(_ vfLines: String, guests: [ProxmoxGuest]?) throws -> Plan {
        let config = try ConfigReader.read("[[pf]]\nname = \"enp6s0f0\"\nnum-vfs = 2\n[[pf.vf]]\n\(vfLines)", path: "t.toml")
        return Planner.plan(try DesiredHost.resolve(config, on: host, guests: guests))
    }

    func assignments(_ p: Plan) -> [String] {
        p.steps.compactMap { step in
            if case .assignToVM = step.action { return PlanText.describe(step.action) }
            return nil
        }
    }

    @Test func aVFGoesToTheFirstFreeSlotLast() throws {
        let p = try plan("index = 0\nvm = 100\npcie = true", guests: [guest(100, "hostpci0: 0000:81:00.0")])
        #expect(assignments(p) == ["VF 0 -> VM 100 hostpci1 (pcie)"])
        if case .assignToVM? = p.steps.last?.action {} else { Issue.record("assignment is not the last step") }
    }

    @Test func anExistingLineMeansNoStep() throws {
        let p = try plan("index = 1\nvm = 100", guests: [guest(100, "hostpci3: 06:10.4")])
        #expect(assignments(p).isEmpty)
        let moved = try plan("index = 1\nvm = 100\nslot = 0", guests: [guest(100, "hostpci3: 06:10.4")])
        #expect(assignments(moved) == ["VF 1 -> VM 100 hostpci0, moved from hostpci3"])
    }

    @Test func twoVFsToOneVMTakeTwoSlots() throws {
        let p = try plan("indexes = \"0-1\"\nvm = 100", guests: [guest(100)])
        #expect(assignments(p) == ["VF 0 -> VM 100 hostpci0", "VF 1 -> VM 100 hostpci1"])
    }

    @Test(arguments: [
        ("index = 0\nvm = 100", nil as [ProxmoxGuest]?, "vm = 100 needs Proxmox VE, and this host has no /etc/pve"),
        ("index = 0\nvm = 101", [ProxmoxGuest(vmid: 100, running: false, references: [])], "VM 101 does not exist on this node"),
    ])
    func assignmentNeedsProxmoxAndTheVM(lines: String, guests: [ProxmoxGuest]?, words: String) {
        do {
            _ = try plan(lines, guests: guests)
            Issue.record("accepted")
        } catch {
            #expect("\(error)".contains(words), "\(error)")
        }
    }

    @Test(arguments: [
        ("index = 0\nslot = 2", "slot only means something with vm = VMID"),
        ("indexes = \"0-1\"\nvm = 100\nslot = 2", "leave slot out to take free slots"),
        ("index = 0\nvm = 99", "vm must be a Proxmox VM id, 100 or more"),
        ("index = 0\nvm = 100\nslot = 16", "slot must be a hostpci slot 0-15"),
    ])
    func assignmentKeysAreChecked(lines: String, words: String) {
        do {
            _ = try ConfigReader.read("[[pf]]\nname = \"enp6s0f0\"\nnum-vfs = 2\n[[pf.vf]]\n\(lines)", path: "t.toml")
            Issue.record("accepted")
        } catch {
            #expect("\(error)".contains(words), "\(error)")
        }
    }

    @Test func twoVFsInOneSlotIsAnError() {
        do {
            _ = try plan("index = 0\nvm = 100\nslot = 1\n[[pf.vf]]\nindex = 1\nvm = 100\nslot = 1", guests: [guest(100)])
            Issue.record("accepted")
        } catch {
            #expect("\(error)".contains("enp6s0f0 VF 1 and enp6s0f0 VF 0 both want VM 100 hostpci1"), "\(error)")
        }
    }

    @Test func verificationReadsTheGuestsAgain() throws {
        let config = try ConfigReader.read("[[pf]]\nname = \"enp6s0f0\"\nnum-vfs = 2\n[[pf.vf]]\nindex = 0\nvm = 100\npcie = true", path: "t.toml")
        let desired = try DesiredHost.resolve(config, on: host, guests: [guest(100)])
        #expect(
            desired.guestMismatches(guests: [guest(100)], in: host).map(\.description)
                == ["enp6s0f0 VF 0 vm: wanted VM 100 pcie, the host has not in its config"])
        #expect(desired.guestMismatches(guests: [guest(100, "hostpci0: 06:10.0,pcie=1")], in: host).isEmpty)
    }
}

@Suite struct MappingPlanTests {
    let host = igbHost(numVFs: 2)

    func desired(_ vfLines: String, mappings: String = "", numVFs: Int = 2) throws -> DesiredHost {
        let config = try ConfigReader.read("[[pf]]\nname = \"enp6s0f0\"\nnum-vfs = \(numVFs)\n[[pf.vf]]\n\(vfLines)", path: "t.toml")
        return try DesiredHost.resolve(
            config, on: host, guests: [ProxmoxGuest(vmid: 101, running: false, references: [])],
            mappings: PCIMapping.parse(mappings), node: "pve1")
    }

    func kinds(_ p: Plan) -> [String] {
        p.steps.compactMap { step in
            switch step.action {
            case .syncMapping, .assignToVM: PlanText.describe(step.action)
            default: nil
            }
        }
    }

    @Test func aNewPoolIsCreatedThenGivenToTheVMOnce() throws {
        let p = Planner.plan(try desired("indexes = \"0-1\"\nmapping = \"fw\"\nvm = 101"))
        #expect(kinds(p) == ["create mapping fw on pve1: VFs 0, 1", "mapping fw -> VM 101 hostpci0"])
    }

    @Test func aMatchingMappingIsLeftAlone() throws {
        let cfg = "fw\n\tmap id=8086:1520,iommugroup=20,node=pve1,path=0000:06:10.0\n\tmap id=other,node=pve2,path=0000:41:10.0\n"
        var h = try desired("index = 0\nmapping = \"fw\"", mappings: cfg)
        h.pfs[0].current.vfDeviceID = "8086:1520"
        #expect(kinds(Planner.plan(h)).isEmpty)
        h.pfs[0].current.vfs[0].iommuGroup = 33
        let p = Planner.plan(h)
        #expect(kinds(p) == ["refresh mapping fw on pve1: VFs 0"])
        if case let .syncMapping(_, _, _, others, exists)? = p.steps.first?.action {
            #expect(others == ["id=other,node=pve2,path=0000:41:10.0"], "other nodes' entries are handed back unchanged")
            #expect(exists)
        }
    }

    @Test func recreatedVFsAlwaysRefreshTheirMapping() throws {
        let cfg = "fw\n\tmap id=8086:1520,iommugroup=20,node=pve1,path=0000:06:10.0\n"
        let p = Planner.plan(try desired("index = 0\nmapping = \"fw\"", mappings: cfg, numVFs: 3))
        #expect(kinds(p) == ["refresh mapping fw on pve1: VFs 0"])
        #expect(p.steps.last?.reason.contains("re-created") == true)
    }

    @Test func mapLinesAreWrittenAsProxmoxDoes() {
        #expect(
            PCIMapping.mapLine(vendorDevice: "8086:1520", iommuGroup: 2, node: "pve1", path: PCIAddress("0000:07:10.0")!)
                == "id=8086:1520,iommugroup=2,node=pve1,path=0000:07:10.0")
    }

    @Test func aGuestsStartTouchesOnlyItsOwnVFSettings() throws {
        let config = try ConfigReader.read(
            "[[pf]]\nname = \"enp6s0f0\"\nnum-vfs = 2\n[[pf.vf]]\nindex = 0\nvm = 101\nvlan = 5\n[[pf.vf]]\nindex = 1\nvlan = 6", path: "t.toml")
        let desired = try DesiredHost.resolve(config, on: host, guests: [ProxmoxGuest(vmid: 101, running: false, references: [])])
        let p = Planner.planForGuest(desired, vm: 101)
        #expect(p.steps.count == 1)
        guard case let .setVFs(changes)? = p.steps.first?.action else {
            Issue.record("no settings step")
            return
        }
        #expect(changes.map(\.index) == [0], "VF 1 belongs to no guest; no assignment, reprobe or binding either")
    }
}
