import Logging
import SRIOVCore
import SRIOVHost

/// What one apply did.
public struct ApplyOutcome: Sendable {
    public var report: ApplyReport
    /// Configured PFs that were not there (boot and watch only).
    public var missing: [ConfigDiagnostic]
    /// Changes planned, counted as `plan` counts them.
    public var planSize: Int
    /// The links whose forwarding-table events `watch` follows, read for this check's plan (so
    /// the watcher need not read the host again for them).
    public var watchedLinks: Set<Int32> = []
    /// `--drain`: what was (or with `--dry-run` would be) done to guests, in order.
    public var drainSteps: [String] = []
    /// `--drain --dry-run`: nothing was changed.
    public var dryRun = false
    public var succeeded: Bool { report.succeeded && missing.isEmpty }
}

/// Makes a host match the config: config first (bad input changes nothing), then one apply at a
/// time (a lock), observe, plan, refuse to disturb VFs in use, act, observe again and compare,
/// and keep the result for `serve`.
public enum ApplyUseCase {
    /// Netlink requests this process has sent (the benchmark's `SRIOVCTL_NETLINK_STATS`).
    public static var netlinkRequestsSent: Int { ProcessFacts.netlinkRequestsSent }

    public static func run(_ request: ApplyRequest, on selection: HostSelection, logger: Logger) throws -> ApplyOutcome {
        let times = StepTimes()
        if times.enabled { logger.info("\(times.stamped("started (arguments parsed)"))") }
        // The config before anything else, so bad input fails at once and writes nothing, not even the record.
        let config = try ConfigFile.load(selection.configPath)
        var host = try selection.open()
        let records = host.applyRecords
        // Where the lock and the record go, checked before either is written: under --root a
        // link out of the tree there is an error (exit 2), not a file written outside it.
        _ = host.lockPath
        try host.files.escapes.check()
        do {
            let outcome = try applyLocked(request, config: config, host: &host, selection: selection, logger: logger)
            // The watcher checks after every device event: a check that found the host as
            // configured is not news, and must not hide what the boot's apply did.
            if request.quietWhenUnchanged && outcome.planSize == 0 && outcome.succeeded { return outcome }
            let failure =
                outcome.report.failure.map {
                    "\($0.step): \($0.error)\(outcome.report.failureTolerated ? " (tolerated: planned again, nothing was left to change)" : "")"
                }
                ?? (outcome.succeeded
                    ? nil
                    : "\(outcome.report.mismatches.filter { !$0.unverifiable }.count + outcome.missing.count) settings or PFs not as configured")
            keep(
                records,
                ApplyRecord(
                    finishedAt: wallClock(), succeeded: outcome.succeeded, changes: outcome.planSize,
                    failure: failure, trigger: request.trigger.rawValue), logger)
            return outcome
        } catch {
            if let (message, invalid) = EngineError.classify(error), !invalid {
                keep(
                    records,
                    ApplyRecord(
                        finishedAt: wallClock(), succeeded: false, changes: 0, failure: message,
                        trigger: request.trigger.rawValue), logger)
            }
            throw error
        }
    }

    private static func keep(_ store: ApplyRecordStore, _ record: ApplyRecord, _ logger: Logger) {
        do { try store.save(record) } catch { logger.warning("could not keep the apply result for `sriovctl serve`: \(error)") }
    }

    private static func applyLocked(
        _ request: ApplyRequest, config: SRIOVConfig, host: inout any Host, selection: HostSelection,
        logger: Logger
    ) throws -> ApplyOutcome {
        let lock = try ApplyLock(path: host.lockPath) { holder in
            logger.notice("another sriovctl apply is running\(holder.map { " (pid \($0))" } ?? ""); waiting for it to finish")
        }
        defer { withExtendedLifetime(lock) {} }
        // Re-read after the lock: another apply may have changed the host meanwhile.
        host = try selection.open()
        var context = try PlanningContext.make(
            config, on: host, allowMissing: request.allowMissing, guest: request.guest, phase: request.phase)
        let times = StepTimes()
        if times.enabled { logger.info("\(times.stamped("read the host and the config, planned"))") }
        // Under --root, a link that led out of the tree is an error before anything changes.
        try host.files.escapes.check()
        try waitForMissingPFs(&context, request, config: config, host: &host, selection: selection, logger: logger)
        for problem in context.desired.missing {
            logger.error("\(problem.location.keyPath): \(problem.message); its VFs were not configured")
        }
        for later in context.desired.deferred { logger.notice("\(later)") }
        var drain: DrainRun?
        if let options = request.drain, !context.inUse.isEmpty {
            var run = try DrainRun.prepare(context: context, host: host, options: options)
            if options.dryRun {
                return ApplyOutcome(
                    report: ApplyReport(), missing: context.desired.missing, planSize: context.changeCount,
                    drainSteps: run.sequence(changes: context.changeCount), dryRun: true)
            }
            try run.stop(on: &host, logger: logger)
            drain = run
            try host.save()
            host = try selection.open()
            context = try PlanningContext.make(
                config, on: host, allowMissing: request.allowMissing, guest: request.guest, phase: request.phase)
        }
        if let options = request.drain, options.dryRun {
            return ApplyOutcome(
                report: ApplyReport(), missing: context.desired.missing, planSize: context.changeCount,
                drainSteps: ["no running guest holds a VF the plan disturbs: apply \(context.changeCount) changes"], dryRun: true)
        }
        // Under --root stopping was only recorded: the tree still shows the guests running.
        let drainedTree: Bool = if drain != nil, case .tree = host.kind { true } else { false }
        try refuseInUse(context, force: request.force || drainedTree, logger: logger)
        if context.plan.isEmpty && !request.quietWhenUnchanged { logger.info("no changes: the host matches \(config.path)") }
        var report = act(context, on: &host, logger: logger)
        try host.save()
        var drainSteps: [String] = []
        if var run = drain {
            // The guests come back whatever the apply did: they were running before.
            run.start(on: &host, logger: logger)
            try host.save()
            drainSteps = run.done
        }
        report.mismatches = try verifyBeyondSettings(report, context: context, request: request, host: host)
        judgeFailure(&report, request: request, config: config, selection: selection, logger: logger)
        for mismatch in report.mismatches { logger.warning("\(mismatch)") }
        if times.enabled { logger.info("\(times.stamped("read again and compared"))") }
        return ApplyOutcome(
            report: report, missing: context.desired.missing, planSize: context.changeCount, watchedLinks: context.watchedLinks,
            drainSteps: drainSteps)
    }

    /// With `--boot --wait`: plans again until every configured PF is there or the wait is over
    /// (a PF's driver may still be probing, or udev not have named it yet). Woken by the host's
    /// device events (a PF appearing, a netdev renamed), and at least every 0.5 s; a host without
    /// events (a tree) is read every 0.5 s.
    private static func waitForMissingPFs(
        _ context: inout PlanningContext, _ request: ApplyRequest, config: SRIOVConfig, host: inout any Host,
        selection: HostSelection, logger: Logger
    ) throws {
        guard !context.desired.missing.isEmpty && request.waitSeconds > 0 else { return }
        logger.notice("waiting up to \(Int(request.waitSeconds)) s for \(context.desired.missing.count) configured PF(s) to appear")
        let deadline = monotonicSeconds() + request.waitSeconds
        // Listening before reading again: an event between the read and the wait is not lost.
        var events = try? selection.openEvents()
        while true {
            host = try selection.open()
            context = try PlanningContext.make(config, on: host, allowMissing: true, guest: request.guest, phase: request.phase)
            guard !context.desired.missing.isEmpty && monotonicSeconds() < deadline else { return }
            let next = min(deadline, monotonicSeconds() + 0.5)
            guard var source = events else {
                pause(seconds: next - monotonicSeconds())
                continue
            }
            do {
                // A burst of events is taken together (until 50 ms pass without one), within the 0.5 s.
                if try source.next(until: next) != nil {
                    while monotonicSeconds() < next, try source.next(until: min(next, monotonicSeconds() + 0.05)) != nil {}
                }
                events = source
            } catch {
                events = nil  // a socket that failed: read every 0.5 s instead
            }
        }
    }

    /// VFs in use that the plan removes or rebinds: refused (nothing changed) unless forced.
    private static func refuseInUse(_ context: PlanningContext, force: Bool, logger: Logger) throws {
        if !context.inUse.isEmpty && !force {
            let lines = context.inUse.map { "  \($0)" }.joined(separator: "\n")
            throw EngineError.hostFailed(
                """
                refusing to remove or rebind VFs that are in use; nothing was changed:
                \(lines)
                Stop what uses them first, or `sriovctl apply --drain` (shuts the guests down cleanly, applies, starts them again; --dry-run shows how), or pass --force (a VM loses its NIC; a process holding a VFIO group makes the kernel wait).
                """)
        }
        for holder in context.inUse { logger.warning("--force: \(holder)") }
    }

    /// The mismatches after apply, with what the VF settings do not show: the guests' hostpci
    /// lines and mappings as Proxmox now has them, and the forwarding tables (whose record is
    /// kept here). Under `--root` nothing could be checked; with `--guest` only that guest's VFs count.
    private static func verifyBeyondSettings(
        _ report: ApplyReport, context: PlanningContext, request: ApplyRequest, host: any Host
    ) throws -> [Mismatch] {
        var report = report
        if request.guest == nil, context.desired.guests != nil, report.failure == nil, let snapshot = try? host.snapshot() {
            // Re-read the guests as Proxmox now has them, and check every hostpci line.
            let proxmox = host.proxmox
            report.mismatches +=
                context.desired.guestMismatches(guests: proxmox.guests(), in: snapshot)
                + context.desired.mappingMismatches(mappings: proxmox.mappings(), in: snapshot)
        }
        // Forwarding tables: keep the record of what sriovctl added, and check what took.
        var forwarding: [Mismatch] = []
        if report.failure == nil || context.plan.steps.contains(where: { if case .syncForwardingTable = $0.action { true } else { false } }) {
            forwarding = try ForwardingPlanning.settle(steps: context.plan.steps, host: host)
        }
        report.mismatches += forwarding
        if !report.recorded.isEmpty {
            // Under --root the programs that would make these changes were recorded, not run.
            report.mismatches = report.mismatches.map { m in
                var m = m
                m.unverifiable = true
                m.note = "wanted \(m.wanted), not checked: --root records programs instead of running them"
                return m
            }
        }
        if let guest = request.guest {
            // Only this guest's VFs were re-asserted: judge only them.
            let mine = Set(
                context.desired.pfs.flatMap { pf in
                    pf.vfs.filter { $0.guest?.vm == guest }.map { "\(pf.current.displayName)/\($0.index)" }
                })
            report.mismatches = report.mismatches.filter { m in
                m.vf.map { mine.contains("\(m.pf)/\($0)") } ?? forwarding.contains(m)
            }
        }
        return report.mismatches
    }

    /// A failed step stops the apply; what matters is whether the host still needs anything:
    /// planned again from the host as it now is, nothing left means the config holds.
    private static func judgeFailure(
        _ report: inout ApplyReport, request: ApplyRequest, config: SRIOVConfig, selection: HostSelection, logger: Logger
    ) {
        guard let failure = report.failure else { return }
        var remaining = Int.max
        if let again = try? selection.open(),
            let context = try? PlanningContext.make(config, on: again, allowMissing: true, guest: request.guest, phase: request.phase)
        {
            remaining = context.changeCount
        }
        report.judgeFailure(remainingSteps: remaining)
        if report.failureTolerated {
            logger.warning(
                "\(failure.step.pfName): \(PlanText.describe(failure.step.action)) failed (\(failure.error)), but read and planned again the host matches the config: nothing is left to change"
            )
        }
    }

    private static func act<H: Host>(_ context: PlanningContext, on host: inout H, logger: Logger) -> ApplyReport {
        let times = StepTimes()
        if times.enabled { logger.info("\(times.stamped("planned \(context.changeCount) change(s)"))") }
        return Applier.run(context.plan, desired: context.desired, on: &host) { logger.info("\(times.stamped($0))") }
    }
}
