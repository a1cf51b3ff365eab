import SRIOVCore
import SRIOVHost
import Testing

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The simulated host keeps the kernel's rules; each test would fail if a rule were dropped.
@Suite struct SimulatedHostTests {
    static func i350(initialVfs: Int = 0, unsupported: [String] = ["linkState"]) -> SimulatedHost {
        SimulatedHost(
            description: SimulatedHostDescription(pfs: [
                .init(
                    name: "enp6s0f0", pci: "0000:06:00.0", driver: "igb", vfDriver: "igbvf",
                    permanentMac: "a0:36:9f:00:00:01", totalVfs: 7, vfDevice: "8086:1520", vfOffset: 128, vfStride: 4,
                    mtu: 1500, linkUp: true, iommuGroupBase: 20, unsupported: unsupported, perVfCounters: false,
                    initialVfs: initialVfs)
            ]))
    }

    @Test func newVFsHaveAllZeroMACsAndTheirAddressesFollowOffsetAndStride() throws {
        var host = Self.i350()
        try host.setNumVFs(pf: "0000:06:00.0", to: 3)
        let pf = try #require(try host.snapshot().pfs.first)
        #expect(pf.numVFs == 3)
        #expect(pf.vfs.map(\.pci.description) == ["0000:06:10.0", "0000:06:10.4", "0000:06:11.0"])
        #expect(pf.vfs.allSatisfy { $0.settings.mac == .zero })
        #expect(pf.vfs.map(\.netdev) == ["enp6s0f0v0", "enp6s0f0v1", "enp6s0f0v2"])
    }

    @Test func changingANonZeroCountIsEBUSY() throws {
        var host = Self.i350(initialVfs: 4)
        #expect(throws: HostError.vfCountBusy(pf: "enp6s0f0", current: 4, requested: 6)) {
            try host.setNumVFs(pf: "0000:06:00.0", to: 6)
        }
        #expect(host.writes.isEmpty)
        try host.setNumVFs(pf: "0000:06:00.0", to: 0)
        try host.setNumVFs(pf: "0000:06:00.0", to: 6)
        #expect(try host.snapshot().pfs[0].numVFs == 6)
        #expect(host.writes.count == 2)
    }

    @Test func moreThanTotalVFsIsERANGE() {
        var host = Self.i350()
        #expect(throws: HostError.vfCountOutOfRange(pf: "enp6s0f0", requested: 8, total: 7)) {
            try host.setNumVFs(pf: "0000:06:00.0", to: 8)
        }
        #expect(host.writes.isEmpty)
    }

    @Test func aDriverRefusesWhatItLacksAndWritesNothing() throws {
        var host = Self.i350(initialVfs: 1)
        #expect(throws: HostError.notSupported(pf: "enp6s0f0", driver: "igb", setting: "linkState")) {
            try host.setVF(pf: "0000:06:00.0", index: 0, VFSettings(mac: MACAddress("02:00:00:00:00:01"), linkState: .disable))
        }
        #expect(try host.snapshot().pfs[0].vfs[0].settings.mac == .zero)
        #expect(host.writes.isEmpty)
    }

    @Test func settingsTakeAndAreRecorded() throws {
        var host = Self.i350(initialVfs: 2)
        try host.setVF(pf: "0000:06:00.0", index: 1, VFSettings(mac: MACAddress("02:00:00:00:00:02"), vlan: 100, trust: true))
        try host.bindVF(pf: "0000:06:00.0", index: 1, driver: "vfio-pci")
        let vf = try host.snapshot().pfs[0].vfs[1]
        #expect(vf.settings.mac?.description == "02:00:00:00:00:02")
        #expect(vf.settings.vlan == 100)
        #expect(vf.settings.trust == true)
        #expect(vf.settings.spoofCheck == true, "untouched settings keep their value")
        #expect(vf.driver == "vfio-pci")
        #expect(vf.netdev == nil, "a vfio-bound VF has no netdev")
        #expect(host.writes.count == 2)
    }

    @Test func aMulticastMACIsRefused() {
        var host = Self.i350(initialVfs: 1)
        #expect(throws: HostError.self) {
            try host.setVF(pf: "0000:06:00.0", index: 0, VFSettings(mac: MACAddress("01:00:5e:00:00:01")))
        }
        #expect(host.writes.isEmpty)
    }

    @Test func unknownPFIsNoSuchDevice() {
        var host = Self.i350()
        #expect(throws: HostError.noSuchDevice("0000:99:00.0")) { try host.setNumVFs(pf: "0000:99:00.0", to: 1) }
    }

    @Test func stateSurvivesBetweenInvocations() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sriovctl-sim-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let descriptionPath = dir.appendingPathComponent("host.json").path
        let host = Self.i350()
        try JSONEncoder().encode(host.description).write(to: URL(fileURLWithPath: descriptionPath))
        let store = SimulatedHostStore(descriptionPath: descriptionPath, statePath: dir.appendingPathComponent("state").path)
        var first = try store.load()
        try first.setNumVFs(pf: "0000:06:00.0", to: 2)
        try first.setVF(pf: "0000:06:00.0", index: 0, VFSettings(mac: MACAddress("02:00:00:00:00:09")))
        try store.save(first)
        let second = try store.load()
        #expect(try second.snapshot() == (try first.snapshot()))
        #expect(try second.snapshot().pfs[0].vfs[0].settings.mac?.description == "02:00:00:00:00:09")
        store.reset()
        #expect(try store.load().snapshot().pfs[0].numVFs == 0)
    }

    @Test func aBrokenDescriptionNamesTheProblem() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sriovctl-sim-bad-\(UInt32.random(in: 0...UInt32.max))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("host.json").path
        try Data(#"{"pfs":[{"name":"x","pci":"0000:06:00.0"}]}"#.utf8).write(to: URL(fileURLWithPath: path))
        do {
            _ = try SimulatedHostStore(descriptionPath: path, statePath: dir.appendingPathComponent("s").path).load()
            Issue.record("a description without a driver loaded")
        } catch let error as HostError {
            #expect("\(error)".contains("pfs[0]"))
            #expect("\(error)".contains("missing key"))
        }
    }

    @Test(arguments: ["../examples/i350-t4-homelab.json", "../examples/e810-2port.json"])
    func bundledExamplesLoad(relative: String) throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent(relative).standardized.path
        let host = try SimulatedHostStore(descriptionPath: path, statePath: "/nonexistent/state").load()
        let snapshot = try host.snapshot()
        #expect(!snapshot.pfs.isEmpty)
        for pf in snapshot.pfs {
            #expect(pf.vfs.count == pf.numVFs)
            #expect(Set(pf.vfs.map(\.pci)).count == pf.vfs.count, "VF addresses are unique")
        }
    }
}
