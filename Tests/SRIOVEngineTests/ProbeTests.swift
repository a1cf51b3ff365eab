import Foundation
import Logging
import SRIOVCore
import SRIOVEngine
import SRIOVHost
import TestSupport
import Testing

/// `sriovctl probe`: each setting tried on a free VF, every value put back, the answers kept and
/// preferred by plan over the kernel-source profile.
@Suite struct ProbeTests {
    static let logger = Logger(label: "test")

    static func sandbox(driver: String = "igb", vfDevice: String = "8086:1520", vfs: Int = 2) throws -> SimulatedSandbox {
        try SimulatedSandbox(
            SimulatedHostDescription(pfs: [
                .init(
                    name: "p0", pci: "0000:06:00.0", driver: driver, vfDriver: "vf", permanentMac: "a0:36:9f:00:00:01", totalVfs: 7,
                    vfDevice: vfDevice, vfOffset: 128, vfStride: 1, mtu: 1500, linkUp: true, iommuGroupBase: 20, initialVfs: vfs)
            ]))
    }

    @Test func igbAnswersAsItsSourceSaysAndEveryValueIsPutBack() throws {
        let box = try Self.sandbox()
        let before = try box.host().snapshot().pfs[0].vfs.map(\.settings)
        let outcome = try ProbeUseCase.run(pf: "p0", on: box.selection, logger: Self.logger)
        let answers = Dictionary(uniqueKeysWithValues: outcome.answers.map { ($0.name, $0.answer) })
        #expect(answers["link-state-disable"] == "EOPNOTSUPP")
        #expect(answers["max-tx-rate"] == "EOPNOTSUPP" && answers["min-tx-rate"] == "EOPNOTSUPP")
        #expect(answers["vlan-protocol-802.1ad"] == "EPROTONOSUPPORT")
        #expect(answers["rss-query"] == "EOPNOTSUPP", "igb has no ndo_set_vf_rss_query_en")
        #expect(answers["trust"] == "ok" && answers["spoof-check"] == "ok" && answers["vlan"] == "ok" && answers["qos"] == "ok")
        #expect(outcome.vf == 1 && !outcome.createdVF, "the last free VF")
        #expect(outcome.notRestored.isEmpty)
        #expect(try box.host().snapshot().pfs[0].vfs.map(\.settings) == before, "every value is back")
        let record = try #require(try CapabilityStore(files: box.host().files).load())
        #expect(record.entries.count == 1 && record.entries[0].driver == "igb" && record.entries[0].vfDevice == "8086:1520")
    }

    @Test func anAcceptedAndIgnoredSettingIsSaidSo() throws {
        let box = try Self.sandbox(driver: "ixgbe")
        let outcome = try ProbeUseCase.run(pf: "p0", on: box.selection, logger: Self.logger)
        #expect(outcome.answers.first { $0.name == "link-state-enable" }?.answer == "ignored")
        #expect(outcome.answers.first { $0.name == "link-state-disable" }?.answer == "ok")
        #expect(outcome.answers.first { $0.name == "rss-query" }?.answer == "ok" && outcome.notRestored.isEmpty)
    }

    @Test func aPFWithoutVFsGetsOneForTheProbeAndLosesItAfter() throws {
        let box = try Self.sandbox(vfs: 0)
        let outcome = try ProbeUseCase.run(pf: "p0", on: box.selection, logger: Self.logger)
        #expect(outcome.createdVF && outcome.vf == 0)
        #expect(try box.host().snapshot().pfs[0].numVFs == 0)
    }

    @Test func everyVFInUseIsRefusedAndNothingChanges() throws {
        let box = try Self.sandbox(vfs: 1)
        var host = try box.host()
        host.hold(vf: try host.snapshot().pfs[0].vfs[0].pci.description, by: "VM 100 is running with it")
        try host.save()
        #expect(throws: EngineError.self) { try ProbeUseCase.run(pf: "p0", on: box.selection, logger: Self.logger) }
        #expect(try CapabilityStore(files: box.host().files).load() == nil)
    }

    @Test func underRootNothingIsProbed() throws {
        let tree = try TemporaryTree()
        #expect(throws: EngineError.self) { try ProbeUseCase.run(pf: "p0", on: tree.selection, logger: Self.logger) }
    }

    @Test func planPrefersTheProbesAnswersAndSaysSo() throws {
        let box = try Self.sandbox()
        let config = box.dir.appendingPathComponent("c.toml").path
        try "[[pf]]\nname = \"p0\"\nnum-vfs = 2\n[[pf.vf]]\nindex = 0\nmax-tx-rate = 100\n".write(toFile: config, atomically: true, encoding: .utf8)
        var selection = box.selection
        selection.config = config
        // The profile says an I350 refuses rates; a probe on this (firmware-)host says it takes them.
        #expect(throws: ConfigError.self) { try PlanUseCase.run(on: selection) }
        let store = CapabilityStore(files: try box.host().files)
        try store.save(
            CapabilityRecord(entries: [
                .init(driver: "igb", vfDevice: "8086:1520", firmware: "1.63", probedAt: 1_800_000_000, answers: ["max-tx-rate": "ok"])
            ]))
        let context = try PlanUseCase.run(on: selection)
        #expect(
            context.desired.driverNotes.contains { $0.contains("igb (i350), probed") && $0.contains("firmware 1.63") },
            "\(context.desired.driverNotes)")
        // And a probe's refusal is a refusal, naming where it comes from.
        try store.save(
            CapabilityRecord(entries: [
                .init(driver: "igb", vfDevice: "8086:1520", firmware: nil, probedAt: 1_800_000_000, answers: ["trust": "EPERM"])
            ]))
        try "[[pf]]\nname = \"p0\"\nnum-vfs = 2\n[[pf.vf]]\nindex = 0\ntrust = true\n".write(toFile: config, atomically: true, encoding: .utf8)
        do {
            _ = try PlanUseCase.run(on: selection)
            Issue.record("a probed refusal was accepted")
        } catch let error as ConfigError {
            #expect(error.description.contains("EPERM") && error.description.contains("capabilities.json"), "\(error)")
        }
    }

    @Test(arguments: [
        "{", "{\"entries\": [{\"driver\": \"igb\", \"probedAt\": 1, \"answers\": {\"trust\": \"rm -rf\"}}]}",
        "{\"entries\": [{\"driver\": \"igb\", \"probedAt\": 1, \"answers\": {\"made-up\": \"ok\"}}]}",
        "{\"entries\": [{\"driver\": \"\\u001b[2J\", \"probedAt\": 1, \"answers\": {}}]}",
    ])
    func aRecordSriovctlCouldNotHaveWrittenIsNotUsedAndPlanSaysSo(_ text: String) throws {
        let box = try Self.sandbox()
        let files = try box.host().files
        let path = files.resolve(CapabilityStore.path)
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: HostError.self) { try CapabilityStore(files: files).load() }
        let config = box.dir.appendingPathComponent("c.toml").path
        try "[[pf]]\nname = \"p0\"\nnum-vfs = 2\n".write(toFile: config, atomically: true, encoding: .utf8)
        var selection = box.selection
        selection.config = config
        let context = try PlanUseCase.run(on: selection)
        #expect(context.desired.driverNotes.contains { $0.contains("capabilities.json") && $0.contains("kernel's source are used") })
    }
}
