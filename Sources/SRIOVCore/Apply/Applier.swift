/// What `apply` did.
public struct ApplyReport: Sendable {
    /// Steps that completed, in order.
    public var performed: [Plan.Step] = []
    /// The step that failed and why; later steps were not attempted.
    public var failure: (step: Plan.Step, error: String)?
    /// What still differs after re-observing the host (unverifiable fields included, flagged).
    public var mismatches: [Mismatch] = []
    /// Programs a host tree recorded instead of running (`--root`).
    public var recorded: [[String]] = []

    /// Set when a step failed but the host, read again and planned again, needs nothing more:
    /// the failure is then a warning (a boot unit that did its job does not end failed).
    public private(set) var failureTolerated = false

    /// Whether the host now matches the config, as far as the kernel reports it.
    public init() {}

    public var succeeded: Bool { (failure == nil || failureTolerated) && !mismatches.contains { !$0.unverifiable } }

    /// Judges a failure by what is left: when planning again from the host as it now is gives
    /// no step and nothing differs, the failed step did not matter to the result. Programs that
    /// were only recorded (`--root`) prove nothing, so their failure is never tolerated.
    public mutating func judgeFailure(remainingSteps: Int) {
        failureTolerated =
            failure != nil && remainingSteps == 0 && recorded.isEmpty && !mismatches.contains { !$0.unverifiable }
    }
}

/// Runs a plan against a host, then observes again and compares with what was wanted.
public enum Applier {
    /// VFs that the plan would remove or rebind while something uses them.
    public static func conflicts(_ plan: Plan, desired: DesiredHost, host: some HostActing) -> [VFHolder] {
        var result: [VFHolder] = []
        for want in desired.pfs {
            let pf = want.current
            var disrupted: Set<Int> = []
            var all = false
            for step in plan.steps where step.pf == pf.pci {
                if let indexes = step.action.disruptedVFs { disrupted.formUnion(indexes) } else { all = true }
            }
            let vfs = pf.vfs.filter { all || disrupted.contains($0.index) }
            if !vfs.isEmpty { result += host.holders(of: vfs, on: pf) }
        }
        return result
    }

    /// Performs every step in order, stopping at the first failure, then verifies.
    public static func run<Host: HostActing>(
        _ plan: Plan, desired: DesiredHost, on host: inout Host,
        log: (String) -> Void
    ) -> ApplyReport {
        var report = ApplyReport()
        var failedAt: Int?
        for (at, step) in plan.steps.enumerated() {
            do {
                try host.perform(step)
                report.performed.append(step)
                for argv in host.takeRecordedCommands() {
                    report.recorded.append(argv)
                    log("\(step.pfName): would run: \(HostChange.run(argv).summary) (--root: programs are recorded, not run)")
                }
                if case let .setVFs(changes) = step.action {
                    for change in changes { log("\(step.pfName): \(PlanText.describe(change))") }
                } else {
                    log("\(step.pfName): \(PlanText.describe(step.action)) (because \(step.reason))")
                }
            } catch {
                report.failure = (step, "\(error)")
                failedAt = at
                log("\(step.pfName): FAILED \(PlanText.describe(step.action)): \(error)")
                break
            }
        }
        // A temporary change of a PF whose steps were cut short is put back all the same.
        if let at = failedAt {
            let started = Set(report.performed.map(\.pf) + [plan.steps[at].pf])
            for step in plan.steps[(at + 1)...] where step.restoresAfterFailure && started.contains(step.pf) {
                do {
                    try host.perform(step)
                    report.performed.append(step)
                    log("\(step.pfName): \(PlanText.describe(step.action)) (\(step.reason))")
                } catch {
                    log("\(step.pfName): could not put back: \(PlanText.describe(step.action)): \(error)")
                }
            }
        }
        do {
            report.mismatches = desired.mismatches(in: try host.snapshot())
        } catch {
            report.mismatches = [
                Mismatch(
                    pf: "host", vf: nil, field: "state", wanted: "readable",
                    found: "unreadable: \(error)", unverifiable: false)
            ]
        }
        return report
    }
}
