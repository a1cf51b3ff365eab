import SRIOVCore
import SRIOVHost
import Testing

/// plan -> apply -> verify on the simulated host, which keeps the kernel's rules.
@Suite struct SimulatedApplyTests {
    func desired(_ toml: String, _ host: SimulatedHost) throws -> DesiredHost {
        try DesiredHost.resolve(try ConfigReader.read(toml, path: "t.toml"), on: try host.snapshot())
    }

    @Test func applyMakesTheHostMatchAndASecondApplyChangesNothing() throws {
        var host = SimulatedHostTests.i350(initialVfs: 4, unsupported: [])
        let toml = "[[pf]]\nname = \"enp6s0f0\"\nnum-vfs = 6\n[pf.defaults]\ndriver = \"vfio-pci\"\n[[pf.vf]]\nindex = 5\nvlan = 30\ntrust = true"
        let want = try desired(toml, host)
        let plan = Planner.plan(want)
        var lines: [String] = []
        let report = Applier.run(plan, desired: want, on: &host) { lines.append($0) }
        #expect(report.succeeded, "\(report.mismatches) \(String(describing: report.failure))")
        #expect(report.performed.count == plan.steps.count)
        #expect(lines.count == 2 + 2 + 6 + 6, "one line per autoprobe and count step, per VF settings change, per binding")
        let pf = try host.snapshot().pfs[0]
        #expect(pf.autoprobe == true, "autoprobe is put back after the VFs were made without a driver")
        #expect(pf.numVFs == 6 && pf.vfs.allSatisfy { $0.driver == "vfio-pci" && $0.settings.mac?.isZero == false })
        #expect(pf.vfs[5].settings.vlan == 30 && pf.vfs[5].settings.trust == true)
        #expect(Planner.plan(try desired(toml, host)).isEmpty)
    }

    /// VFs for VMs are made with autoprobe off; a step that fails after that still puts it back.
    @Test func autoprobeIsPutBackWhenAStepFails() throws {
        var host = SimulatedHostTests.i350(initialVfs: 0, unsupported: ["spoofCheck"])
        let toml = "[[pf]]\nname = \"enp6s0f0\"\nnum-vfs = 2\n[pf.defaults]\ndriver = \"vfio-pci\"\nspoof-check = false"
        let want = try desired(toml, host)
        var lines: [String] = []
        let report = Applier.run(Planner.plan(want), desired: want, on: &host) { lines.append($0) }
        #expect(report.failure != nil)
        #expect(lines.contains { $0.contains("sriov_drivers_autoprobe 0 -> 1") && $0.contains("put back") }, "\(lines)")
        let pf = try host.snapshot().pfs[0]
        #expect(pf.autoprobe == true)
        #expect(pf.vfs.allSatisfy { $0.driver == nil }, "made without a driver, and never bound to igbvf")
    }

    @Test func aRefusedSettingIsNamedByVFAndFieldAndTheRestStillTakes() throws {
        // A refusal no profile predicts (the description's `unsupported`, as a firmware might).
        var host = SimulatedHostTests.i350(initialVfs: 2, unsupported: ["spoofCheck"])
        let want = try desired("[[pf]]\nname = \"enp6s0f0\"\nnum-vfs = 2\n[[pf.vf]]\nindex = 1\nspoof-check = false", host)
        let report = Applier.run(Planner.plan(want), desired: want, on: &host) { _ in }
        #expect(!report.succeeded)
        let failure = try #require(report.failure)
        #expect(failure.error.contains("enp6s0f0 VF 1 spoof-check"), "\(failure.error)")
        #expect(failure.error.contains("does not support setting spoofCheck"), "\(failure.error)")
        let vfs = try host.snapshot().pfs[0].vfs
        #expect(vfs.allSatisfy { $0.settings.mac?.isZero == false }, "the MACs in the same batch took")
        #expect(report.mismatches.map(\.description) == ["enp6s0f0 VF 1 spoof-check: wanted off, the host has on"])
    }

    @Test func invalidConfigWritesNothing() throws {
        let host = SimulatedHostTests.i350(initialVfs: 2)
        #expect(throws: ConfigError.self) { _ = try desired("[[pf]]\nname = \"enp6s0f0\"\nnum-vfs = 9", host) }
        #expect(throws: ConfigError.self) { _ = try desired("[[pf]]\nname = \"nope0\"\nnum-vfs = 1", host) }
        #expect(host.writes.isEmpty)
    }

    @Test func aHeldVFBlocksRemovalButNotOtherPFs() throws {
        var host = SimulatedHostTests.i350(initialVfs: 2)
        try host.bindVF(pf: "0000:06:00.0", index: 1, driver: "vfio-pci")
        host.hold(vf: "0000:06:10.4", by: "VM 100 is running with it")
        let shrink = try desired("[[pf]]\nname = \"enp6s0f0\"\nnum-vfs = 1", host)
        let conflicts = Applier.conflicts(Planner.plan(shrink), desired: shrink, host: host)
        #expect(conflicts.map(\.description) == ["enp6s0f0 VF 1 (0000:06:10.4) is in use: VM 100 is running with it"])
        // Setting the MAC of a vfio-bound VF disrupts nothing: no conflict.
        let macs = try desired("[[pf]]\nname = \"enp6s0f0\"\nnum-vfs = 2", host)
        #expect(Applier.conflicts(Planner.plan(macs), desired: macs, host: host).isEmpty)
        // Rebinding the held VF does.
        let bind = try desired("[[pf]]\nname = \"enp6s0f0\"\nnum-vfs = 2\n[[pf.vf]]\nindex = 1\ndriver = \"host\"", host)
        #expect(Applier.conflicts(Planner.plan(bind), desired: bind, host: host).count == 1)
    }

    /// A host whose kernel answers one kind of step with an error: after doing it (the boot's
    /// re-probe of a VF whose driver was not bound yet) or instead of doing it.
    struct AnsweringWithError: HostActing {
        var host: SimulatedHost
        var failing: @Sendable (Plan.Action) -> Bool
        var doesItAnyway: Bool
        func snapshot(withCounters: Bool) throws -> HostSnapshot { try host.snapshot(withCounters: withCounters) }
        func holders(of vfs: [VirtualFunction], on pf: PhysicalFunction) -> [VFHolder] { host.holders(of: vfs, on: pf) }
        mutating func perform(_ step: Plan.Step) throws {
            guard failing(step.action) else { return try host.perform(step) }
            if doesItAnyway { try host.perform(step) }
            throw HostError.noSuchDevice("driver/unbind: No such file or directory")
        }
    }

    @Test(arguments: [true, false])
    func aFailedStepIsAWarningOnlyWhenPlanningAgainLeavesNothing(doesItAnyway: Bool) throws {
        let toml = "[[pf]]\nname = \"enp6s0f0\"\nnum-vfs = 2\n[pf.defaults]\ndriver = \"vfio-pci\""
        var host = AnsweringWithError(
            host: SimulatedHostTests.i350(initialVfs: 0, unsupported: []),
            failing: { if case .bindDriver(1, _, _) = $0 { true } else { false } }, doesItAnyway: doesItAnyway)
        let want = try desired(toml, host.host)
        var report = Applier.run(Planner.plan(want), desired: want, on: &host) { _ in }
        #expect(report.failure != nil)
        report.judgeFailure(remainingSteps: Planner.plan(try desired(toml, host.host)).steps.count)
        // The last step (VF 1's binding) done anyway: nothing is left to do, a warning. Not done,
        // the plan still has that binding: a failure.
        #expect(report.failureTolerated == doesItAnyway)
        #expect(report.succeeded == doesItAnyway)
    }

    @Test func aFailureIsNeverToleratedWhenProgramsWereOnlyRecorded() {
        var report = ApplyReport()
        report.failure = (Plan.Step(pf: PCIAddress(bus: 6, slot: 0, function: 0), pfName: "p", action: .setLinkUp, reason: "r"), "e")
        report.recorded = [["qm", "set", "100"]]
        report.judgeFailure(remainingSteps: 0)
        #expect(!report.failureTolerated && !report.succeeded)
        report.recorded = []
        report.judgeFailure(remainingSteps: 1)
        #expect(!report.failureTolerated && !report.succeeded)
        report.judgeFailure(remainingSteps: 0)
        #expect(report.failureTolerated && report.succeeded)
    }
}
