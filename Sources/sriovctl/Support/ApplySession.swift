import Logging
import SRIOVCore
import SRIOVHost

#if canImport(Glibc)
import Glibc
#endif

/// One apply, as `apply`, `apply --boot` and `watch` all run it: config, lock, observe, plan,
/// guard, act, verify.
struct ApplySession {
    var global: GlobalOptions
    var force = false
    /// At boot and in the watcher: configure the PFs that are there, report the others.
    var allowMissing = false
    /// At boot: wait up to this long for configured PFs to appear.
    var waitSeconds: Double = 0
    var logger: Logger
    /// The watcher checks often: it says nothing when nothing changed.
    var quietWhenUnchanged = false
    /// The hookscript at a guest's pre-start: only that guest's VF settings.
    var guest: Int?
    /// With `guest`: also add its VF MACs to the PF's forwarding table.
    var bridgeFDB = false

    struct Outcome {
        var report: ApplyReport
        var missing: [ConfigDiagnostic]
        var planSize: Int
        var succeeded: Bool { report.succeeded && missing.isEmpty }
    }

    /// How this apply was started, for the record `serve` exports: apply, boot, watch or guest.
    var trigger: String {
        if guest != nil { return "guest" }
        if quietWhenUnchanged { return "watch" }
        return allowMissing ? "boot" : "apply"
    }

    /// Applies and keeps the result for `serve` (`sriovctl_last_apply_*`). Invalid input writes
    /// nothing at all, not even the record: the host stays exactly as it was.
    func run() throws -> Outcome {
        let store = HostAccess.applyRecords(global)
        do {
            let outcome = try applyOnce()
            // The watcher checks after every device event: a check that found the host as
            // configured is not news, and must not hide what the boot's apply did.
            if quietWhenUnchanged && outcome.planSize == 0 && outcome.succeeded { return outcome }
            let failure = outcome.report.failure.map { "\($0.step): \($0.error)" }
                ?? (outcome.succeeded ? nil : "\(outcome.report.mismatches.filter { !$0.unverifiable }.count + outcome.missing.count) settings or PFs not as configured")
            record(store, succeeded: outcome.succeeded, changes: outcome.planSize, failure: failure)
            return outcome
        } catch {
            if let (message, status) = CLIError.classify(error), status == .hostFailed {
                record(store, succeeded: false, changes: 0, failure: message)
            }
            throw error
        }
    }

    private func record(_ store: ApplyRecordStore, succeeded: Bool, changes: Int, failure: String?) {
        let record = ApplyRecord(finishedAt: wallClock(), succeeded: succeeded, changes: changes, failure: failure, trigger: trigger)
        do { try store.save(record) } catch { logger.warning("could not keep the apply result for `sriovctl serve`: \(error)") }
    }

    private func applyOnce() throws -> Outcome {
        // Validate the config before anything else, so bad input fails at once and changes nothing.
        let config = try ConfigFile.load(global.configPath)
        if global.simulate == nil { _ = try HostAccess.observer(global) }  // a missing --root fails before the lock
        let lock = try ApplyLock(path: OpenHost.lockPath(global)) { holder in
            logger.notice("another sriovctl apply is running\(holder.map { " (pid \($0))" } ?? ""); waiting for it to finish")
        }
        defer { withExtendedLifetime(lock) {} }
        var context = try PlanningContext.make(global, config: config, allowMissing: allowMissing, guest: guest)
        if !context.desired.missing.isEmpty && waitSeconds > 0 {
            logger.notice("waiting up to \(Int(waitSeconds)) s for \(context.desired.missing.count) configured PF(s) to appear")
            let deadline = monotonicSeconds() + waitSeconds
            while !context.desired.missing.isEmpty && monotonicSeconds() < deadline {
                usleep(500_000)
                context = try PlanningContext.make(global, config: config, allowMissing: allowMissing, guest: guest)
            }
        }
        for problem in context.desired.missing {
            logger.error("\(problem.location.keyPath): \(problem.message); its VFs were not configured")
        }
        if !context.inUse.isEmpty && !force {
            let lines = context.inUse.map { "  \($0)" }.joined(separator: "\n")
            throw CLIError.hostFailed("""
                refusing to remove or rebind VFs that are in use; nothing was changed:
                \(lines)
                Stop what uses them first, or pass --force (a VM loses its NIC; a process holding a VFIO group makes the kernel wait).
                """)
        }
        for holder in context.inUse { logger.warning("--force: \(holder)") }
        if context.plan.isEmpty && !quietWhenUnchanged { logger.info("no changes: the host matches \(config.path)") }
        var report = try context.host.apply(context.plan, desired: context.desired) { logger.info("\($0)") }
        if context.desired.guests != nil, report.failure == nil {
            // Re-read the guests as Proxmox now has them, and check every hostpci line.
            let proxmox = ProxmoxReader(fs: RootedFileSystem(root: global.root))
            if let snapshot = try? context.host.observer.snapshot(), guest == nil {
                report.mismatches += context.desired.guestMismatches(guests: proxmox.guests(), in: snapshot)
                report.mismatches += context.desired.mappingMismatches(mappings: proxmox.mappings(), in: snapshot)
            }
        }
        if let guest {
            // Only this guest's VFs were re-asserted: judge only them.
            let mine = Set(context.desired.pfs.flatMap { pf in
                pf.vfs.filter { $0.guest?.vm == guest }.map { "\(pf.current.displayName)/\($0.index)" }
            })
            report.mismatches = report.mismatches.filter { m in m.vf.map { mine.contains("\(m.pf)/\($0)") } ?? false }
        }
        for mismatch in report.mismatches { logger.warning("\(mismatch)") }
        if let guest, bridgeFDB { report.mismatches += addToForwardingTables(guest: guest, desired: context.desired) }
        return Outcome(report: report, missing: context.desired.missing, planSize: PlanRendering.changeCount(context.plan))
    }

    /// `bridge fdb replace MAC dev PF self` for each VF of the guest: traffic from a Linux bridge
    /// over the PF to this MAC then goes to the VF instead of the wire.
    private func addToForwardingTables(guest: Int, desired: DesiredHost) -> [Mismatch] {
        var problems: [Mismatch] = []
        for pf in desired.pfs {
            guard let name = pf.current.name else { continue }
            for vf in pf.vfs where vf.guest?.vm == guest {
                guard let mac = vf.settings.mac else { continue }
                let argv = ["bridge", "fdb", "replace", mac.description, "dev", name, "self"]
                let result = try? SystemCommandRunner().run(argv)
                if result?.status == 0 {
                    logger.info("\(name): VF \(vf.index) MAC \(mac) in the forwarding table (bridge fdb)")
                } else {
                    problems.append(Mismatch(pf: name, vf: vf.index, field: "bridge fdb", wanted: mac.description,
                                             found: result?.errorOutput.trimmingSpaces() ?? "bridge could not run", unverifiable: false))
                }
            }
        }
        return problems
    }
}
