import Foundation
import SRIOVCore
import Testing

/// A host with one igb PF and `vfs` VFs as given, for planning against.
func igbHost(
    numVFs: Int, adminUp: Bool = true, mtu: Int = 1500, autoprobe: Bool = true,
    vf: (Int) -> (VFSettings, String?) = { _ in (.freshlyCreated, "igbvf") }
) -> HostSnapshot {
    let pci = PCIAddress("0000:06:00.0")!
    return HostSnapshot(pfs: [
        PhysicalFunction(
            pci: pci, name: "enp6s0f0", driver: "igb", mac: MACAddress("a0:36:9f:00:00:10"),
            permanentMAC: MACAddress("a0:36:9f:00:00:10"), linkUp: adminUp, adminUp: adminUp, mtu: mtu, totalVFs: 7,
            numVFs: numVFs, autoprobe: autoprobe,
            vfs: (0..<numVFs).map { i in
                let (settings, driver) = vf(i)
                return VirtualFunction(
                    index: i, pci: PCIAddress(domain: 0, bus: 6, slot: 16 + UInt8(i / 2), function: UInt8(i % 2 * 4)),
                    iommuGroup: 20 + i, driver: driver, settings: settings)
            })
    ])
}

func plan(_ toml: String, on host: HostSnapshot) throws -> Plan {
    Planner.plan(try DesiredHost.resolve(try ConfigReader.read(toml, path: "t.toml"), on: host))
}

extension Plan.Action {
    var kind: String {
        switch self {
        case .setLinkUp: "up"
        case .setMTU: "mtu"
        case .setAutoprobe: "autoprobe"
        case let .setNumVFs(from, to): "count \(from)->\(to)"
        case let .setVFs(changes): "vfs \(changes.map(\.index))"
        case let .bindDriver(index, _, to): "bind \(index) \(to.rawValue)"
        case let .reprobe(index, _): "reprobe \(index)"
        case let .assignToVM(index, vm, slot, _, _, _, _): "assign \(index) \(vm) \(slot)"
        case let .syncMapping(id, _, _, _, _): "mapping \(id)"
        case let .syncForwardingTable(sync): "fdb +\(sync.add.map(\.mac.description)) -\(sync.remove.map(\.description))"
        }
    }
}

@Suite struct PlannerTests {
    @Test func freshPFGetsItsVFsThenTheirMACs() throws {
        let p = try plan("[[pf]]\nname = \"enp6s0f0\"\nnum-vfs = 4", on: igbHost(numVFs: 0))
        // Autoprobe binds new VFs to igbvf before their MAC is set, so each is re-probed to take
        // it (found in the lab: without this the igbvf netdev kept a random MAC).
        #expect(p.steps.map(\.action.kind) == ["count 0->4", "vfs [0, 1, 2, 3]", "reprobe 0", "reprobe 1", "reprobe 2", "reprobe 3"])
        let unprobed = try plan("[[pf]]\nname = \"enp6s0f0\"\nnum-vfs = 2", on: igbHost(numVFs: 0, autoprobe: false))
        #expect(unprobed.steps.map(\.action.kind) == ["count 0->2", "vfs [0, 1]"], "unbound VFs need no re-probe")
        guard case let .setVFs(changes) = p.steps[1].action else { return }
        #expect(changes.allSatisfy { $0.fields == [.mac] }, "only the MAC differs from a new VF")
        #expect(changes[2].to.mac == AutoMAC.derive(permanent: MACAddress("a0:36:9f:00:00:10")!, index: 2))
    }

    /// `mac = "keep"` (what `init` writes for an unset MAC): never set, never a mismatch, whatever
    /// the MAC is; other settings of the VF are still managed.
    @Test func aKeptMACIsNeitherSetNorChecked() throws {
        let host = igbHost(numVFs: 2) { i in
            var s = VFSettings.freshlyCreated
            s.mac = i == 0 ? .zero : MACAddress("02:00:00:00:00:42")
            return (s, "igbvf")
        }
        let toml = "[[pf]]\nname = \"enp6s0f0\"\nnum-vfs = 2\n[[pf.vf]]\nindexes = \"0-1\"\nmac = \"keep\"\n"
        #expect(try plan(toml, on: host).steps.isEmpty)
        let desired = try DesiredHost.resolve(try ConfigReader.read(toml, path: "t.toml"), on: host)
        #expect(desired.mismatches(in: host).isEmpty)
        let withVLAN = try plan(toml + "vlan = 5\n", on: host)
        #expect(withVLAN.steps.map(\.action.kind) == ["vfs [0, 1]"])
        guard case let .setVFs(changes) = withVLAN.steps[0].action else { return }
        #expect(
            changes.allSatisfy { $0.fields.contains(.vlan) && !$0.fields.contains(.mac) && $0.to.mac == nil }, "the MAC is not part of the change")
        // New VFs with a kept MAC keep the kernel's (all zero): only the count is planned.
        #expect(try plan(toml, on: igbHost(numVFs: 0, autoprobe: false)).steps.map(\.action.kind) == ["count 0->2"])
    }

    /// A PF that is down is brought up (its VFs pass no traffic otherwise), unless `link = "keep"`,
    /// which `init` writes for a PF that is down (found in the lab: a Debian host with no network
    /// configuration on the port).
    @Test func aDownPFIsBroughtUpUnlessKept() throws {
        let down = igbHost(numVFs: 2, adminUp: false)
        let toml = "[[pf]]\nname = \"enp6s0f0\"\nnum-vfs = 2\n[pf.defaults]\nmac = \"keep\"\n"
        #expect(try plan(toml, on: down).steps.map(\.action.kind) == ["up"])
        #expect(try plan(toml.replacingOccurrences(of: "num-vfs = 2\n", with: "num-vfs = 2\nlink = \"keep\"\n"), on: down).steps.isEmpty)
        #expect(throws: ConfigError.self) { try ConfigReader.read("[[pf]]\nname = \"a\"\nnum-vfs = 1\nlink = \"down\"\n", path: "t.toml") }
        let text = ConfigFromHost.text(snapshot: down, source: "a test")
        #expect(text.contains("link = \"keep\""))
        #expect(try Planner.plan(DesiredHost.resolve(ConfigReader.read(text, path: "init.toml"), on: down)).steps.isEmpty)
    }

    @Test func changingANonZeroCountGoesThroughZeroAndReappliesEverything() throws {
        let configured = igbHost(numVFs: 4) { i in
            (
                VFSettings(
                    mac: AutoMAC.derive(permanent: MACAddress("a0:36:9f:00:00:10")!, index: i), vlan: 0, qos: 0,
                    vlanProtocol: .dot1Q, spoofCheck: true, trust: false, linkState: .auto, minTxRate: 0, maxTxRate: 0), "igbvf"
            )
        }
        let toml = "[[pf]]\nname = \"enp6s0f0\"\nnum-vfs = 6\n[[pf.vf]]\nindex = 1\nvlan = 7"
        let p = try plan(toml, on: configured)
        #expect(
            Array(p.steps.map(\.action.kind).prefix(3)) == ["count 4->0", "count 0->6", "vfs [0, 1, 2, 3, 4, 5]"],
            "new VFs come up blank, so even VFs 0-3 whose MAC was right get it again")
        #expect(p.steps[0].reason.contains("through 0"))
    }

    @Test func stepsComeInTheSafeOrder() throws {
        let toml = """
            [[pf]]
            name = "enp6s0f0"
            num-vfs = 2
            mtu = 9000
            autoprobe = false
            [[pf.vf]]
            index = 0
            driver = "vfio-pci"
            [[pf.vf]]
            index = 1
            driver = "none"
            """
        let p = try plan(toml, on: igbHost(numVFs: 0, adminUp: false))
        #expect(
            p.steps.map(\.action.kind) == ["up", "mtu", "autoprobe", "count 0->2", "vfs [0, 1]", "bind 0 vfio-pci"],
            "VF 1 comes up unbound (autoprobe off), so driver none needs no step")
    }

    /// New VFs for VMs never meet the host's VF driver: autoprobe off while they are made, their
    /// MACs set, vfio-pci and "none" through driver_override, autoprobe back on (also after a
    /// failure), and only then the host's own VFs probed, once, with their MACs set.
    @Test func newVFsForVMsAreMadeWithoutADriver() throws {
        let toml = """
            [[pf]]
            name = "enp6s0f0"
            num-vfs = 4
            [[pf.vf]]
            indexes = "0-1"
            driver = "vfio-pci"
            [[pf.vf]]
            index = 2
            driver = "host"
            [[pf.vf]]
            index = 3
            driver = "none"
            """
        let p = try plan(toml, on: igbHost(numVFs: 0))
        #expect(
            p.steps.map(\.action.kind) == [
                "autoprobe", "count 0->4", "vfs [0, 1, 2, 3]", "bind 0 vfio-pci", "bind 1 vfio-pci", "bind 3 none", "autoprobe", "bind 2 host",
            ])
        #expect(p.steps[0].action == .setAutoprobe(from: true, to: false) && !p.steps[0].restoresAfterFailure)
        #expect(p.steps[6].action == .setAutoprobe(from: false, to: true) && p.steps[6].restoresAfterFailure)
        #expect(!p.steps.contains { $0.action.kind.hasPrefix("reprobe") }, "MACs are set before any driver binds")
        #expect(
            p.steps.allSatisfy { step in
                if case let .bindDriver(_, from, _) = step.action { return from == nil }
                return true
            }, "no VF is rebound: none was bound")

        // Only host VFs, the file's own autoprobe, or no new VFs: as before.
        let hostOnly = try plan("[[pf]]\nname = \"enp6s0f0\"\nnum-vfs = 2\n[[pf.vf]]\nindex = 0\nmac = \"02:00:00:00:00:01\"", on: igbHost(numVFs: 0))
        #expect(!hostOnly.steps.contains { $0.action.kind == "autoprobe" })
        #expect(hostOnly.steps.contains { $0.action.kind == "reprobe 0" })
        let same = try plan(toml, on: igbHost(numVFs: 4))
        #expect(!same.steps.contains { $0.action.kind == "autoprobe" })
        let unknown = try plan(toml, on: igbHost(numVFs: 0, autoprobe: false))
        #expect(!unknown.steps.contains { $0.action.kind == "autoprobe" }, "autoprobe already off: nothing to put back")
    }

    @Test func hostDriverRebindAndReprobeAfterAMACChange() throws {
        let host = igbHost(numVFs: 3) { i in (.freshlyCreated, i == 0 ? "vfio-pci" : "igbvf") }
        let toml = "[[pf]]\nname = \"enp6s0f0\"\nnum-vfs = 3\n[[pf.vf]]\nindex = 0\ndriver = \"host\"\n[[pf.vf]]\nindex = 2\ndriver = \"vfio-pci\""
        let p = try plan(toml, on: host)
        // VF 0 goes back to the host driver (a fresh probe picks up the MAC); VF 1 keeps igbvf,
        // which only sees its new MAC after a re-probe; VF 2 moves to vfio-pci.
        #expect(p.steps.map(\.action.kind) == ["vfs [0, 1, 2]", "bind 0 host", "reprobe 1", "bind 2 vfio-pci"])
    }

    @Test func matchingHostGivesAnEmptyPlan() throws {
        let perm = MACAddress("a0:36:9f:00:00:10")!
        let host = igbHost(numVFs: 2) { i in
            (
                VFSettings(
                    mac: AutoMAC.derive(permanent: perm, index: i), vlan: 0, qos: 0, vlanProtocol: .dot1Q, spoofCheck: true,
                    trust: false, linkState: .auto, minTxRate: 0, maxTxRate: 0), "igbvf"
            )
        }
        #expect(try plan("[[pf]]\nname = \"enp6s0f0\"\nnum-vfs = 2", on: host).isEmpty)
    }

    @Test func unreportedSettingsArePlannedOnlyWhenWritten() throws {
        let perm = MACAddress("a0:36:9f:00:00:10")!
        let host = igbHost(numVFs: 1) { i in
            // A driver that reports neither spoof checking nor trust.
            (
                VFSettings(
                    mac: AutoMAC.derive(permanent: perm, index: i), vlan: 0, qos: 0, vlanProtocol: .dot1Q,
                    linkState: .auto, minTxRate: 0, maxTxRate: 0), "igbvf"
            )
        }
        #expect(try plan("[[pf]]\nname = \"enp6s0f0\"\nnum-vfs = 1", on: host).isEmpty)
        let p = try plan("[[pf]]\nname = \"enp6s0f0\"\nnum-vfs = 1\n[[pf.vf]]\nindex = 0\ntrust = false", on: host)
        guard case let .setVFs(changes)? = p.steps.first?.action else {
            Issue.record("no step")
            return
        }
        #expect(changes.first?.fields == [.trust])
    }

    @Test func aVLANIsSentWithItsQoSAndProtocol() throws {
        let p = try plan(
            "[[pf]]\nname = \"enp6s0f0\"\nnum-vfs = 1\n[[pf.vf]]\nindex = 0\nvlan = 10\nmac = \"02:00:00:00:00:05\"",
            on: igbHost(numVFs: 1) { _ in (VFSettings.freshlyCreated, "igbvf") })
        guard case let .setVFs(changes)? = p.steps.first?.action else {
            Issue.record("no step")
            return
        }
        #expect(changes.first?.to.vlan == 10 && changes.first?.to.qos == 0 && changes.first?.to.vlanProtocol == .dot1Q)
        #expect(
            PlanText.describe(changes[0]) == "VF 0 mac 00:00:00:00:00:00 -> 02:00:00:00:00:05, vlan 0 -> 10",
            "the listing names only what changes")
    }

    @Test func zeroVFsRemovesThemAll() throws {
        let p = try plan("[[pf]]\nname = \"enp6s0f0\"\nnum-vfs = 0", on: igbHost(numVFs: 3))
        #expect(p.steps.map(\.action.kind) == ["count 3->0"])
        #expect(p.steps[0].action.disruptedVFs == nil, "removing VFs disrupts every one of them")
    }
}

@Suite struct DesiredStateTests {
    func resolve(_ toml: String, on host: HostSnapshot) throws(ConfigError) -> DesiredHost {
        try DesiredHost.resolve(try ConfigReader.read(toml, path: "t.toml"), on: host)
    }

    func problem(_ toml: String, on host: HostSnapshot) -> String {
        do {
            _ = try resolve(toml, on: host)
            return "accepted"
        } catch {
            return error.description
        }
    }

    @Test func aPFMissingFromTheHostIsNamedWithWhatExists() {
        let text = problem("[[pf]]\nname = \"enp9s0\"\nnum-vfs = 1", on: igbHost(numVFs: 0))
        #expect(text.contains("t.toml:1:1: pf[0]: no SR-IOV capable PF enp9s0 on this host (it has: enp6s0f0 (0000:06:00.0))"), "\(text)")
    }

    @Test func theSameDeviceNamedTwoWaysIsAnError() {
        let text = problem("[[pf]]\nname = \"enp6s0f0\"\nnum-vfs = 1\n[[pf]]\npci = \"06:00.0\"\nnum-vfs = 1", on: igbHost(numVFs: 0))
        #expect(text.contains("t.toml:4:1: pf[1]: 0000:06:00.0 is enp6s0f0 (0000:06:00.0), already configured by pf[0]"), "\(text)")
    }

    @Test func moreVFsThanTheDeviceOffers() {
        let text = problem("[[pf]]\nname = \"enp6s0f0\"\nnum-vfs = 8", on: igbHost(numVFs: 0))
        #expect(text.contains("num-vfs is 8 but enp6s0f0 offers at most 7 VFs"), "\(text)")
    }

    @Test func aWrittenMACThatAnAutoMACAlsoGetsIsAnError() {
        let auto1 = AutoMAC.derive(permanent: MACAddress("a0:36:9f:00:00:10")!, index: 1)
        let text = problem("[[pf]]\nname = \"enp6s0f0\"\nnum-vfs = 2\n[[pf.vf]]\nindex = 0\nmac = \"\(auto1)\"", on: igbHost(numVFs: 0))
        #expect(text.contains("t.toml:6:7: pf[0].vf[0].mac") || text.contains("enp6s0f0 VF 1 would get \(auto1) (auto)"), "\(text)")
        #expect(text.contains("unique on the host"))
    }

    @Test func aMACHeldByAnUnmanagedVFIsAnError() {
        var host = igbHost(numVFs: 0)
        host.pfs.append(
            PhysicalFunction(
                pci: PCIAddress("0000:07:00.0")!, name: "other0", permanentMAC: MACAddress("a0:36:9f:00:00:99"),
                totalVFs: 7, numVFs: 1,
                vfs: [
                    VirtualFunction(
                        index: 0, pci: PCIAddress("0000:07:10.0")!,
                        settings: VFSettings(mac: MACAddress("02:00:00:00:00:42")))
                ]))
        let text = problem("[[pf]]\nname = \"enp6s0f0\"\nnum-vfs = 1\n[[pf.vf]]\nindex = 0\nmac = \"02:00:00:00:00:42\"", on: host)
        #expect(text.contains("which other0 VF 0 (not in this config) already has"), "\(text)")
    }

    @Test func autoMACsAreStableLocallyAdministeredAndUniqueAcrossPorts() {
        var seen = Set<MACAddress>()
        for port in 0..<4 {
            let perm = MACAddress(bytes: [0xa0, 0x36, 0x9f, 0x3c, 0x5e, UInt8(0x10 + port)])!
            for index in 0..<256 {
                let mac = AutoMAC.derive(permanent: perm, index: index)
                #expect(mac == AutoMAC.derive(permanent: perm, index: index))
                #expect(mac.isLocallyAdministered && !mac.isMulticast && !mac.isZero)
                #expect(seen.insert(mac).inserted, "\(mac) twice")
            }
        }
        let perm = MACAddress("a0:36:9f:3c:5e:10")!
        #expect(AutoMAC.derive(permanent: perm, index: 300) != AutoMAC.derive(permanent: perm, index: 300 - 256))
    }

    @Test func verificationNamesVFAndField() throws {
        let desired = try resolve(
            "[[pf]]\nname = \"enp6s0f0\"\nnum-vfs = 1\n[[pf.vf]]\nindex = 0\nvlan = 5\ntrust = true\ndriver = \"vfio-pci\"",
            on: igbHost(numVFs: 0))
        let after = igbHost(numVFs: 1) { _ in
            (
                VFSettings(
                    mac: desired.pfs[0].vfs[0].settings.mac, vlan: 0, qos: 0, vlanProtocol: .dot1Q, spoofCheck: true,
                    linkState: .auto, minTxRate: 0, maxTxRate: 0), "igbvf"
            )
        }
        let mismatches = desired.mismatches(in: after)
        #expect(
            mismatches.filter { !$0.unverifiable }.map(\.description) == [
                "enp6s0f0 VF 0 vlan: wanted 5, the host has 0", "enp6s0f0 VF 0 driver: wanted vfio-pci, the host has igbvf",
            ])
        #expect(mismatches.filter(\.unverifiable).map(\.field) == ["trust"])
    }
}

@Suite struct MissingPFTests {
    @Test func bootConfiguresWhatIsThereAndListsTheRest() throws {
        let config = try ConfigReader.read("[[pf]]\nname = \"enp6s0f0\"\nnum-vfs = 1\n[[pf]]\nname = \"late0\"\nnum-vfs = 2", path: "t.toml")
        #expect(throws: ConfigError.self) { _ = try DesiredHost.resolve(config, on: igbHost(numVFs: 0)) }
        let desired = try DesiredHost.resolve(config, on: igbHost(numVFs: 0), allowMissing: true)
        #expect(desired.pfs.map(\.current.displayName) == ["enp6s0f0"])
        #expect(desired.missing.count == 1)
        #expect(desired.missing.first?.message.contains("late0") == true)
    }
}

/// `serve` publishes the last apply: a record sriovctl could not have written is not shown (issue 26).
@Suite struct ApplyRecordSoundnessTests {
    @Test func onlyPlausibleRecordsAreSound() {
        #expect(ApplyRecord(finishedAt: 1_764_000_000, succeeded: true, changes: 3, failure: nil, trigger: "boot").isSound)
        #expect(!ApplyRecord(finishedAt: .infinity, succeeded: true, changes: 3, failure: nil, trigger: "boot").isSound)
        #expect(!ApplyRecord(finishedAt: 1_764_000_000, succeeded: true, changes: -1, failure: nil, trigger: "boot").isSound)
        #expect(!ApplyRecord(finishedAt: 1_764_000_000, succeeded: true, changes: 3, failure: nil, trigger: "\u{1b}[2J").isSound)
        #expect(!ApplyRecord(finishedAt: 1e15, succeeded: true, changes: 3, failure: nil, trigger: "apply").isSound)
    }
}
