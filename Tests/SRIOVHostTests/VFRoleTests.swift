import SRIOVCore
import SRIOVHost
import Testing

/// `role = "carp" | "trunk" | "access"`: what it fills, what written keys win, what the PF's
/// driver makes of it, and that it applies.
@Suite struct VFRoleTests {
    func resolve(_ host: SimulatedHost, _ vfLines: String, numVFs: Int = 1) throws -> DesiredHost {
        let toml = "[[pf]]\nname = \"p0\"\nnum-vfs = \(numVFs)\n[[pf.vf]]\nindex = 0\n\(vfLines)"
        return try DesiredHost.resolve(try ConfigReader.read(toml, path: "t.toml"), on: try host.snapshot())
    }

    @Test func carpFillsTrustAndSpoofCheckAndApplies() throws {
        var host = DriverProfileSimulatedTests.host(driver: "igb")
        let desired = try resolve(host, "role = \"carp\"")
        let vf = try #require(desired.pfs.first?.vfs.first)
        #expect(vf.settings.trust == true && vf.settings.spoofCheck == false)
        #expect(desired.roleNotes == ["p0 VF 0 role carp: spoof-check off, trust on"])
        let report = Applier.run(Planner.plan(desired), desired: desired, on: &host) { _ in }
        #expect(report.succeeded, "\(String(describing: report.failure)) \(report.mismatches)")
        let applied = try host.snapshot().pfs[0].vfs[0].settings
        #expect(applied.trust == true && applied.spoofCheck == false)
    }

    @Test func aWrittenKeyWinsAndThePlanSaysWhatItCosts() throws {
        let host = DriverProfileSimulatedTests.host(driver: "i40e")
        let desired = try resolve(host, "role = \"carp\"\ntrust = false")
        let vf = try #require(desired.pfs.first?.vfs.first)
        #expect(vf.settings.trust == false && vf.settings.spoofCheck == false)
        #expect(desired.roleNotes.contains { $0.contains("trust = false written") && $0.contains("18 MAC filters") }, "\(desired.roleNotes)")
    }

    @Test func checkWarnsOnlyWhenAWrittenKeyBreaksTheRole() throws {
        let host = DriverProfileSimulatedTests.host(driver: "i40e")
        let broken = try resolve(host, "role = \"carp\"\ntrust = false")
        let warnings = Doctor.roles(broken.roleNotes)
        #expect(warnings.count == 1 && warnings[0].state == .warn && warnings[0].evidence.contains("18 MAC filters"), "\(warnings)")
        #expect(Doctor.roles(try resolve(host, "role = \"carp\"").roleNotes).isEmpty)
    }

    @Test func accessNeedsAPortVLAN() throws {
        let host = DriverProfileSimulatedTests.host(driver: "ice")
        #expect(throws: ConfigError.self) { try resolve(host, "role = \"access\"") }
        let desired = try resolve(host, "role = \"access\"\nvlan = 30")
        let vf = try #require(desired.pfs.first?.vfs.first)
        #expect(vf.settings.trust == false && vf.settings.spoofCheck == true && vf.settings.vlan == 30)
    }

    @Test func trunkNamesThePrivateFlagOnlyWhereTheDriverHasIt() throws {
        let ice = try resolve(DriverProfileSimulatedTests.host(driver: "ice"), "role = \"trunk\"")
        #expect(ice.roleNotes.contains { $0.contains("ethtool --set-priv-flags p0 vf-true-promisc-support on") }, "\(ice.roleNotes)")
        #expect(ice.pfs[0].vfs[0].settings.vlan == 0)
        let igb = try resolve(DriverProfileSimulatedTests.host(driver: "igb"), "role = \"trunk\"")
        #expect(!igb.roleNotes.contains { $0.contains("ethtool") }, "\(igb.roleNotes)")
        let tagged = try resolve(DriverProfileSimulatedTests.host(driver: "igb"), "role = \"trunk\"\nvlan = 9")
        #expect(tagged.roleNotes.contains { $0.contains("wrap the guest's own VLAN tags") }, "\(tagged.roleNotes)")
    }

    @Test func aRoleInDefaultsIsEveryVFsAndSaidOnce() throws {
        let host = DriverProfileSimulatedTests.host(driver: "igb")
        let toml = "[[pf]]\nname = \"p0\"\nnum-vfs = 3\n[pf.defaults]\nrole = \"carp\""
        let desired = try DesiredHost.resolve(try ConfigReader.read(toml, path: "t.toml"), on: try host.snapshot())
        #expect(desired.pfs[0].vfs.allSatisfy { $0.settings.trust == true && $0.settings.spoofCheck == false })
        #expect(desired.roleNotes == ["p0 VFs 0-2 role carp: spoof-check off, trust on"])
    }

    @Test func anUnknownRoleIsABadConfig() {
        #expect(throws: ConfigError.self) {
            _ = try ConfigReader.read("[[pf]]\nname = \"p0\"\nnum-vfs = 1\n[[pf.vf]]\nindex = 0\nrole = \"router\"", path: "t.toml")
        }
    }

    @Test func aDriverThatResetsTheVFOnAMACChangeNeedsNoReprobe() throws {
        for (driver, reprobes) in [("ice", false), ("i40e", false), ("igb", true), ("frobnic", true)] {
            var host = DriverProfileSimulatedTests.host(driver: driver)
            try host.setNumVFs(pf: "0000:06:00.0", to: 1)
            let desired = try resolve(host, "driver = \"host\"\nmac = \"02:00:00:00:00:10\"")
            let planned = Planner.plan(desired).steps.contains { if case .reprobe = $0.action { true } else { false } }
            #expect(planned == reprobes, "\(driver)")
        }
    }
}
