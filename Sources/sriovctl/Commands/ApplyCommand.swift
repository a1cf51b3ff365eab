import ArgumentParser
import Netlink
import SRIOVCore
import SRIOVHost

#if canImport(Glibc)
import Glibc
#endif

struct ApplyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply",
        abstract: "Make the host match the config, then verify that it does.",
        discussion: """
            Performs the steps `sriovctl plan` shows, logging one line per change, then reads the \
            host again and compares every field with the config. A setting the kernel or driver \
            refused is named by PF, VF and field, and the exit code is 1.

            Safety: invalid config changes nothing (exit 2). A VF in use (a running VM, a process \
            with its VFIO group open, a netdev with addresses or in a bridge) is never removed or \
            rebound without --force: writing sriov_numvfs while a VM holds a VF would hang. Only one \
            apply runs at a time; a second one waits and says so.

            Exit codes: 0 the host matches the config, 1 the host refused or something is in use, \
            2 invalid config (nothing changed).
            """)

    @ParentCommand var sriovctl: SRIOVCtl
    var global: GlobalOptions { sriovctl.global }

    @Flag(help: "Print the result as JSON.") var json = false
    @Flag(help: "Remove or rebind VFs even when they are in use.") var force = false

    func run() throws {
        let logger = ChangeLog.logger
        // Validate the config before taking the lock, so bad input fails at once.
        _ = try ConfigFile.load(global.configPath)
        let probe = try OpenHost.open(global)
        let lock = try ApplyLock(path: probe.lockPath(global)) { holder in
            logger.notice("another sriovctl apply is running\(holder.map { " (pid \($0))" } ?? ""); waiting for it to finish")
        }
        defer { withExtendedLifetime(lock) {} }
        var context = try PlanningContext.make(global)
        if !context.inUse.isEmpty && !force {
            let lines = context.inUse.map { "  \($0)" }.joined(separator: "\n")
            throw CLIError.hostFailed("""
                refusing to remove or rebind VFs that are in use; nothing was changed:
                \(lines)
                Stop what uses them first, or pass --force (a VM loses its NIC; a process holding a VFIO group makes the kernel wait).
                """)
        }
        for holder in context.inUse { logger.warning("--force: \(holder)") }
        if context.plan.isEmpty {
            logger.info("no changes: the host matches \(context.config.path)")
        }
        let report = try context.host.apply(context.plan, desired: context.desired) { logger.info("\($0)") }
        if json {
            print(ApplyRendering.json(report).serialized(pretty: true))
        } else {
            print(ApplyRendering.text(report, planSize: PlanRendering.changeCount(context.plan)))
        }
        if getenv("SRIOVCTL_NETLINK_STATS") != nil {
            printError("sriovctl: netlink requests sent: \(RouteSocket.requestsSentByProcess)")
        }
        if !report.succeeded { throw ExitCode(ExitStatus.hostFailed.rawValue) }
    }
}

enum ApplyRendering {
    static func text(_ report: ApplyReport, planSize: Int) -> String {
        var lines: [String] = []
        if let failure = report.failure {
            lines.append("Failed at: \(failure.step.pfName): \(PlanText.describe(failure.step.action))")
            lines += failure.error.split(separator: "\n").map { "  \($0)" }
            lines.append("Steps done before it: \(report.performed.count); later steps were not attempted.")
        } else if planSize == 0 {
            lines.append("Nothing to change.")
        } else {
            lines.append("Applied \(planSize == 1 ? "1 change" : "\(planSize) changes").")
        }
        let failed = report.mismatches.filter { !$0.unverifiable }
        let unverified = report.mismatches.filter(\.unverifiable)
        if failed.isEmpty {
            lines.append("Verified: the host matches the config.")
        } else {
            lines.append("Not as configured after apply:")
            lines += failed.map { "  \($0)" }
        }
        lines += unverified.map { "  note: \($0)" }
        return lines.joined(separator: "\n")
    }

    static func json(_ report: ApplyReport) -> JSONValue {
        .object([
            ("succeeded", .bool(report.succeeded)),
            ("performed", .array(report.performed.map { step in
                .object([("pf", .string(step.pfName)), ("step", .string(PlanText.describe(step.action)))])
            })),
            ("failure", report.failure.map { f in
                .object([("pf", .string(f.step.pfName)), ("step", .string(PlanText.describe(f.step.action))),
                         ("error", .string(f.error))])
            } ?? .null),
            ("mismatches", .array(report.mismatches.map { m in
                .object([("pf", .string(m.pf)), ("vf", .optional(m.vf, JSONValue.int)), ("field", .string(m.field)),
                         ("wanted", .string(m.wanted)), ("found", .string(m.found)), ("unverifiable", .bool(m.unverifiable))])
            })),
        ])
    }
}
