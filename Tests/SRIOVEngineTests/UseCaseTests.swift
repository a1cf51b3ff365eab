import Foundation
import Logging
import SRIOVCore
import SRIOVEngine
import SRIOVHost
import TestSupport
import Testing

/// The use cases people run most, called as the CLI calls them, on simulated hosts: apply, init,
/// assign, and the watcher's reaction to drift. Each checks the host afterwards, not the words.
@Suite struct UseCaseTests {
    static let logger = Logger(label: "test")

    /// One PF with `driver`, its VFs at 8086:`vfDevice`, and (when `guests`) Proxmox VE with two VMs.
    static func sandbox(driver: String = "igb", vfDevice: String = "8086:1520", vfs: Int = 0, proxmox: Bool = false) throws
        -> SimulatedSandbox
    {
        var description = SimulatedHostDescription(pfs: [
            .init(
                name: "p0", pci: "0000:06:00.0", driver: driver, vfDriver: driver == "igb" ? "igbvf" : "ixgbevf",
                permanentMac: "a0:36:9f:00:00:01", totalVfs: 7, vfDevice: vfDevice, vfOffset: 128, vfStride: 1, mtu: 1500,
                linkUp: true, iommuGroupBase: 20, initialVfs: vfs)
        ])
        if proxmox {
            description.proxmox = .init(node: "pve", guests: [.init(vmid: 100, name: "fw"), .init(vmid: 101, name: "nas", running: true)])
        }
        return try SimulatedSandbox(description)
    }

    static func selection(_ box: SimulatedSandbox, config: String) throws -> HostSelection {
        let path = box.dir.appendingPathComponent("sriovctl.toml").path
        try config.write(toFile: path, atomically: true, encoding: .utf8)
        return HostSelection(simulate: box.descriptionPath, simulateState: box.statePath, config: path)
    }

    // MARK: - apply

    @Test func applyMakesTheVFsSetsThemAndVerifies() throws {
        let box = try Self.sandbox()
        let config = """
            [[pf]]
            name = "p0"
            num-vfs = 3
            [[pf.vf]]
            index = 1
            vlan = 20
            trust = true
            driver = "vfio-pci"
            """
        let outcome = try ApplyUseCase.run(ApplyRequest(trigger: .apply), on: try Self.selection(box, config: config), logger: Self.logger)
        #expect(outcome.succeeded && outcome.planSize > 0, "\(outcome.report.mismatches)")
        let pf = try box.host().snapshot().pfs[0]
        #expect(pf.numVFs == 3)
        #expect(pf.vfs[1].settings.vlan == 20 && pf.vfs[1].settings.trust == true && pf.vfs[1].driver == "vfio-pci")
        #expect(pf.vfs.allSatisfy { $0.settings.mac.map { !$0.isZero } == true }, "auto MACs")
        let again = try ApplyUseCase.run(ApplyRequest(trigger: .apply), on: try Self.selection(box, config: config), logger: Self.logger)
        #expect(again.succeeded && again.planSize == 0, "a second apply has nothing to do")
    }

    @Test func anInvalidConfigChangesNothing() throws {
        let box = try Self.sandbox(vfs: 2)
        let before = try box.host().snapshot()
        let selection = try Self.selection(box, config: "[[pf]]\nname = \"p0\"\nnum-vfs = 3\n[[pf.vf]]\nindex = 0\nrss-query = true")
        #expect(throws: ConfigError.self) { try ApplyUseCase.run(ApplyRequest(trigger: .apply), on: selection, logger: Self.logger) }
        #expect(try box.host().snapshot() == before)
    }

    @Test func rssQueryIsAppliedAndVerifiedWhereTheDriverTakesIt() throws {
        // ixgbe on an 82599 (VF 8086:10ed) has ndo_set_vf_rss_query_en and reports the value.
        let box = try Self.sandbox(driver: "ixgbe", vfDevice: "8086:10ed")
        let config = "[[pf]]\nname = \"p0\"\nnum-vfs = 2\n[[pf.vf]]\nindex = 1\nrss-query = true"
        let outcome = try ApplyUseCase.run(ApplyRequest(trigger: .apply), on: try Self.selection(box, config: config), logger: Self.logger)
        #expect(outcome.succeeded, "\(outcome.report.mismatches) \(String(describing: outcome.report.failure))")
        let vfs = try box.host().snapshot().pfs[0].vfs
        #expect(vfs[1].settings.rssQuery == true && vfs[0].settings.rssQuery == false)
        let status = try StatusUseCase.run([], on: try Self.selection(box, config: config))
        #expect(status.pfs[0].vfs[1].settings.rssQuery == true)
    }

    @Test func theBootApplyWaitsForAPFUdevHasNotNamedYet() throws {
        // At boot the PF may still be eth0 when the unit starts; udev names it p0 a moment later.
        var description = SimulatedHostDescription(pfs: [
            .init(
                name: "eth0", pci: "0000:06:00.0", driver: "igb", vfDriver: "igbvf", permanentMac: "a0:36:9f:00:00:01", totalVfs: 7,
                vfDevice: "8086:1520", vfOffset: 128, vfStride: 1, mtu: 1500, linkUp: true, iommuGroupBase: 20, initialVfs: 0)
        ])
        let box = try SimulatedSandbox(description)
        let selection = try Self.selection(box, config: "[[pf]]\nname = \"p0\"\nnum-vfs = 2")
        description.pfs[0].name = "p0"
        let renamed = try JSONEncoder().encode(description)
        let path = box.descriptionPath
        let udev = Thread {
            Thread.sleep(forTimeInterval: 0.3)
            try? renamed.write(to: URL(fileURLWithPath: path))
        }
        let start = monotonicSeconds()
        udev.start()
        let outcome = try ApplyUseCase.run(
            ApplyRequest(trigger: .boot, waitSeconds: 10), on: selection, logger: Self.logger)
        #expect(outcome.succeeded && outcome.missing.isEmpty, "\(outcome.missing)")
        #expect(monotonicSeconds() - start < 5, "found when it was named, not at the end of the wait")
        #expect(try box.host().snapshot().pfs[0].numVFs == 2)
    }

    /// Proxmox VE as it is at boot: /etc/pve is there but pmxcfs is not mounted yet.
    struct UnmountedProxmox: ProxmoxSource {
        var isProxmox: Bool { true }
        var isMounted: Bool { false }
        var node: String { "pve" }
        func guests() -> [ProxmoxGuest] { [] }
        func mappings() -> [PCIMapping] { [] }
        func reservations() -> [PCIReservation] { [] }
        func haManaged() -> Set<Int> { [] }
    }

    @Test func beforePmxcfsTheBootMakesTheVFsAndLeavesGuestsForLater() throws {
        let box = try Self.sandbox()
        let snapshot = try box.host().snapshot()
        let config = try ConfigReader.read(
            "[[pf]]\nname = \"p0\"\nnum-vfs = 2\n[[pf.vf]]\nindex = 0\ndriver = \"vfio-pci\"\nvm = 100\nslot = 2", path: "t.toml")
        // At boot: every VF, without its guest (the guest's config keeps its hostpci line).
        let boot = try PlanningContext.resolve(config, on: snapshot, proxmox: UnmountedProxmox(), allowMissing: true)
        #expect(boot.pfs[0].numVFs == 2 && boot.pfs[0].vfs[0].driver == .vfioPCI && boot.pfs[0].vfs[0].guest == nil)
        #expect(boot.deferred.count == 1 && boot.deferred[0].contains("pve-cluster"), "\(boot.deferred)")
        // A person's plan: said plainly, not "VM 100 does not exist".
        #expect {
            try PlanningContext.resolve(config, on: snapshot, proxmox: UnmountedProxmox(), allowMissing: false)
        } throws: { error in
            (error as? ConfigError)?.diagnostics.map(\.message) == [
                "Proxmox VE's cluster file system is not mounted (/etc/pve is empty), so no guest can be read: start pve-cluster.service (`systemctl start pve-cluster`), then run again"
            ]
        }
        // A config without guests does not care.
        let plain = try ConfigReader.read("[[pf]]\nname = \"p0\"\nnum-vfs = 2", path: "t.toml")
        #expect(try PlanningContext.resolve(plain, on: snapshot, proxmox: UnmountedProxmox(), allowMissing: false).deferred.isEmpty)
    }

    /// The captured lab host as a tree, on Proxmox VE before pve-cluster: /etc/pve is empty.
    static func labHostBeforePmxcfs() throws -> TemporaryTree {
        let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/lab-igb-4vfs")
        let tree = try TemporaryTree()
        for part in ["sys", "run", "ip-link.json"] { try tree.copy(from: fixture.appendingPathComponent(part), to: part) }
        try FileManager.default.createDirectory(at: tree.root.appendingPathComponent("etc/pve"), withIntermediateDirectories: true)
        return tree
    }

    @Test func metricsBeforePmxcfsCountTheVFsNotAMissingVM() throws {
        let tree = try Self.labHostBeforePmxcfs()
        try tree.write("etc/sriovctl/sriovctl.toml", "[[pf]]\nname = \"eth0\"\nnum-vfs = 4\n[[pf.vf]]\nindex = 0\nvm = 100\n")
        let page = try MetricsScrape(checking: tree.selection).page()
        #expect(page.contains("\nsriovctl_host_read_success 1\n"))
        #expect(page.contains("\nsriovctl_config_valid 1\n"), "\(page.split(separator: "\n").filter { $0.contains("config") })")
    }

    // MARK: - init

    @Test func initWritesWhatTheHostHasAndItsPlanIsEmpty() throws {
        let box = try Self.sandbox(driver: "ixgbe", vfDevice: "8086:10ed", vfs: 2)
        var host = try box.host()
        try host.setVF(pf: "0000:06:00.0", index: 1, VFSettings(vlan: 7, rssQuery: true))
        try host.save()
        let output = box.dir.appendingPathComponent("init.toml").path
        let selection = HostSelection(simulate: box.descriptionPath, simulateState: box.statePath)
        let outcome = try InitUseCase.run(.init(output: output, toStandardOutput: false, force: false), on: selection)
        #expect(outcome.plan.steps.isEmpty, "\(outcome.plan.steps)")
        let text = try String(contentsOfFile: output, encoding: .utf8)
        #expect(text.contains("rss-query = true") && text.contains("vlan = 7"), "\(text)")
        #expect(throws: EngineError.self) { try InitUseCase.run(.init(output: output, toStandardOutput: false, force: false), on: selection) }
    }

    @Test func initRefusesWhileProxmoxsFileSystemIsNotMounted() throws {
        let tree = try Self.labHostBeforePmxcfs()
        #expect {
            try InitUseCase.run(.init(output: nil, toStandardOutput: true, force: false), on: tree.selection)
        } throws: { error in
            EngineError.classify(error)?.message.contains("systemctl start pve-cluster") == true
        }
        try tree.write("etc/pve/.version", "1")
        #expect(try InitUseCase.run(.init(output: nil, toStandardOutput: true, force: false), on: tree.selection).text.contains("[[pf]]"))
    }

    // MARK: - assign

    @Test func assignGivesTheVFToTheGuestAndSaysSoOnce() throws {
        let box = try Self.sandbox(vfs: 2, proxmox: true)
        let selection = HostSelection(simulate: box.descriptionPath, simulateState: box.statePath)
        let vf = try box.host().snapshot().pfs[0].vfs[1].pci
        _ = try AssignUseCase.run(.init(pf: "p0", index: 1, vm: 100, slot: nil, pcie: nil, force: false), on: selection)
        let guest = try #require(try box.host().proxmox.guests().first { $0.vmid == 100 })
        #expect(guest.references.contains { $0.names(vf) }, "\(guest.references)")
        let again = try AssignUseCase.run(.init(pf: "p0", index: 1, vm: 100, slot: nil, pcie: nil, force: false), on: selection)
        #expect(again.lines.first?.contains("already has") == true, "\(again.lines)")
        // Another guest gets it only with force.
        #expect(throws: EngineError.self) {
            try AssignUseCase.run(.init(pf: "p0", index: 1, vm: 101, slot: nil, pcie: nil, force: false), on: selection)
        }
    }

    // MARK: - watch

    @Test func theWatcherPutsBackVFsAnotherWriterRemoved() throws {
        let box = try Self.sandbox()
        let selection = try Self.selection(box, config: "[[pf]]\nname = \"p0\"\nnum-vfs = 2")
        let watcher = Watcher(selection: selection, settle: 0, logger: Self.logger)
        #expect(watcher.check() != nil)
        #expect(try box.host().snapshot().pfs[0].numVFs == 2)
        // Another writer (a hand-made `echo 0`): the event source sees the state change.
        var events = try selection.openEvents()
        var host = try box.host()
        try host.setNumVFs(pf: "0000:06:00.0", to: 0)
        try host.save()
        #expect(try events.next(until: monotonicSeconds() + 5) == .devices)
        #expect(watcher.check() != nil)
        #expect(try box.host().snapshot().pfs[0].numVFs == 2, "re-applied")
    }
}
