import ArgumentParser
import SRIOVCore
import SRIOVEngine

struct ApplyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply",
        abstract: "Make the host match the config, then verify that it does.",
        discussion: """
            Performs the steps `sriovctl plan` shows, logging one line per change, then reads the \
            host again and compares every field with the config. A setting the kernel or driver \
            refused is named by PF, VF and field, and the exit code is 1.

            With `sync-bridge-fdb = true` on a PF, the last step keeps the PF's own forwarding \
            table holding the MACs behind the bridge over it, so VF guests reach bridged guests; \
            only entries sriovctl added are ever removed.

            Safety: invalid config changes nothing (exit 2). A VF in use (a running VM, a process \
            with its VFIO group open, a netdev with addresses or in a bridge) is never removed or \
            rebound without --force: writing sriov_numvfs while a VM holds a VF would hang. Only one \
            apply runs at a time; a second one waits and says so.

            --drain: the running Proxmox guests holding VFs the plan re-creates or rebinds are shut \
            down cleanly (`qm shutdown`, never `qm stop` unless --force-stop) in the reverse of \
            their `startup: order=` order, the changes are applied, and the guests are started again \
            in order, each `up=` delay waited. A guest that does not shut down within --timeout \
            aborts the drain before any VF changes, and the guests already stopped are started \
            again (exit 1). HA-managed guests are refused with the ha-manager commands to use. \
            --dry-run shows the sequence and changes nothing.

            Exit codes: 0 the host matches the config, 1 the host refused or something is in use, \
            2 invalid config (nothing changed).
            """)

    @ParentCommand var sriovctl: SRIOVCtl
    var global: GlobalOptions { sriovctl.global }

    @Flag(help: "Print the result as JSON.") var json = false
    @Flag(help: "Remove or rebind VFs even when they are in use.") var force = false
    @Flag(
        help: ArgumentHelp(
            "Run as the boot unit does: wait for configured PFs (--wait), configure those that are present, report the others."))
    var boot = false
    @Option(help: ArgumentHelp("With --boot: how long to wait for configured PFs to appear.", valueName: "seconds"))
    var wait: Int = 60
    @Option(
        help: ArgumentHelp(
            "Only re-assert the settings (MAC, VLAN, trust, spoof check, ...) of the VFs the config gives to this VM; what the Proxmox hookscript runs at pre-start.",
            valueName: "vmid"), completion: ShellCompletions.guest)
    var guest: Int?
    @Option(
        help: ArgumentHelp(
            "With --guest: pre-start (re-assert its VF settings, and add its network devices' MACs to the forwarding tables of PFs with sync-bridge-fdb) or post-stop (remove those MACs).",
            valueName: "phase"))
    var phase: GuestPhase = .preStart
    @Flag(help: "Shut down the running guests whose VFs the plan disturbs, apply, start them again.") var drain = false
    @Option(help: ArgumentHelp("With --drain: how long each guest has to shut down.", valueName: "seconds"))
    var timeout: Int = 180
    @Flag(help: "With --drain: show the sequence, change nothing.") var dryRun = false
    @Flag(help: "With --drain: stop (qm stop) a guest that does not shut down in time, instead of aborting.") var forceStop = false
    /// Gone: it put the VF guest's own MAC in the PF's table. Kept hidden to say what replaced it.
    @Flag(help: .hidden) var bridgeFdb = false

    /// These values, as the quick path (QuickInvocation) also reads them.
    var arguments: ApplyArguments {
        ApplyArguments(
            json: json, force: force, boot: boot, wait: wait, guest: guest, phase: phase, drain: drain, timeout: timeout,
            dryRun: dryRun, forceStop: forceStop, bridgeFdb: bridgeFdb)
    }

    func validate() throws {
        if let problem = arguments.problem { throw ValidationError(problem) }
    }

    static let bridgeFDBGone = """
        --bridge-fdb is gone: it put the VF guest's own MAC in the PF's forwarding table, which does not let \
        guests on a bridge over the PF reach it and can steer its traffic to the PF. Set `sync-bridge-fdb = true` \
        on the PF in the config instead (see `man sriovctl.toml`), then run `sriovctl apply` and `sriovctl hookscript install`.
        """

    func run() throws { try arguments.run(on: global.selection) }
}

/// `apply`'s values, as ArgumentParser's ApplyCommand and the quick path (QuickInvocation) both
/// read them: one rule for what goes together, one run.
struct ApplyArguments: Equatable {
    var json = false
    var force = false
    var boot = false
    var wait = 60
    var guest: Int?
    var phase: GuestPhase = .preStart
    var drain = false
    var timeout = 180
    var dryRun = false
    var forceStop = false
    var bridgeFdb = false

    /// What is wrong with these values together, if anything (exit 2, nothing changed).
    var problem: String? {
        guard (0...3600).contains(wait) else { return "--wait must be 0-3600 seconds" }
        guard (1...3600).contains(timeout) else { return "--timeout must be 1-3600 seconds" }
        if !drain && (dryRun || forceStop || timeout != 180) { return "--timeout, --dry-run and --force-stop go with --drain" }
        if drain && (boot || guest != nil) { return "--drain is for a person's apply, not with --boot or --guest" }
        if bridgeFdb { return ApplyCommand.bridgeFDBGone }
        if phase != .preStart && guest == nil { return "--phase goes with --guest" }
        if let guest, !(100...999_999_999).contains(guest) {
            return "--guest \(guest): a Proxmox VM id is 100-999999999 (Proxmox passes it to the hookscript)"
        }
        return nil
    }

    func run(on selection: HostSelection) throws {
        let trigger: ApplyRequest.Trigger = guest != nil ? .guest : boot ? .boot : .apply
        let request = ApplyRequest(
            trigger: trigger, force: force, waitSeconds: boot ? Double(wait) : 0, guest: guest,
            phase: phase)
        var withDrain = request
        if drain { withDrain.drain = .init(timeout: timeout, dryRun: dryRun, forceStop: forceStop) }
        let outcome = try ApplyUseCase.run(withDrain, on: selection, logger: ChangeLog.logger)
        if outcome.dryRun {
            let lines = ["Drain (dry run, nothing changed):"] + outcome.drainSteps.enumerated().map { "  \($0.offset + 1). \($0.element)" }
            print(
                json
                    ? JSONValue.object([("dryRun", .bool(true)), ("drain", .array(outcome.drainSteps.map(JSONValue.string)))]).serialized(
                        pretty: true) : lines.joined(separator: "\n").terminalSafe)
            return
        }
        print(
            json
                ? ApplyRendering.json(outcome.report, drain: outcome.drainSteps).serialized(pretty: true)
                : (ApplyRendering.text(outcome.report, planSize: outcome.planSize)
                    + (outcome.drainSteps.isEmpty ? "" : "\nDrain: " + outcome.drainSteps.joined(separator: "; ") + ".")).terminalSafe)
        if ThisProcess.environment("SRIOVCTL_NETLINK_STATS") != nil {
            printError("sriovctl: netlink requests sent: \(ApplyUseCase.netlinkRequestsSent)")
        }
        if !outcome.succeeded {
            // The hookscript's pre-start: one line for Proxmox's task log, then the refusal.
            if let guest, phase == .preStart, let line = GuestGate.refusal(vmid: guest, report: outcome.report) {
                printError("sriovctl: \(line)".terminalSafe)
            }
            throw ExitCode(ExitStatus.hostFailed.rawValue)
        }
    }
}

enum ApplyRendering {
    static func text(_ report: ApplyReport, planSize: Int) -> String {
        var lines: [String] = []
        if let failure = report.failure {
            lines.append(
                "\(report.failureTolerated ? "Warning: a step failed" : "Failed at"): \(failure.step.pfName): \(PlanText.describe(failure.step.action))"
            )
            lines += failure.error.split(separator: "\n").map { "  \($0)" }
            lines.append(
                report.failureTolerated
                    ? "Planned again from the host as it is now, nothing is left to change: the config holds."
                    : "Steps done before it: \(report.performed.count); later steps were not attempted.")
        } else if planSize == 0 {
            lines.append("Nothing to change.")
        } else {
            lines.append("Applied \(planSize == 1 ? "1 change" : "\(planSize) changes").")
        }
        let failed = report.mismatches.filter { !$0.unverifiable }
        let unverified = report.mismatches.filter(\.unverifiable)
        if !report.recorded.isEmpty && failed.isEmpty {
            lines.append("Not verified: --root records programs instead of running them; the tree shows the state before.")
        } else if failed.isEmpty && report.failureTolerated {
            // Said above, with the failure.
        } else if failed.isEmpty && report.failure != nil {
            lines.append("Read again after the failure, the host matches the config in every field the kernel reports.")
        } else if failed.isEmpty {
            lines.append("Verified: the host matches the config.")
        } else {
            lines.append("Not as configured after apply:")
            lines += failed.map { "  \($0)" }
        }
        lines += unverified.map { "  note: \($0)" }
        lines += report.recorded.map { "  would run: \(HostChange.run($0).summary) (--root: recorded, not run)" }
        return lines.joined(separator: "\n")
    }

    static func json(_ report: ApplyReport, drain: [String] = []) -> JSONValue {
        .object([
            ("drain", .array(drain.map(JSONValue.string))),
            ("succeeded", .bool(report.succeeded)),
            ("failureTolerated", .bool(report.failureTolerated)),
            (
                "performed",
                .array(
                    report.performed.map { step in
                        .object([("pf", .string(step.pfName)), ("step", .string(PlanText.describe(step.action)))])
                    })
            ),
            (
                "failure",
                report.failure.map { f in
                    .object([
                        ("pf", .string(f.step.pfName)), ("step", .string(PlanText.describe(f.step.action))),
                        ("error", .string(f.error)),
                    ])
                } ?? .null
            ),
            ("wouldRun", .array(report.recorded.map { .array($0.map(JSONValue.string)) })),
            (
                "mismatches",
                .array(
                    report.mismatches.map { m in
                        .object([
                            ("pf", .string(m.pf)), ("vf", .optional(m.vf, JSONValue.int)), ("field", .string(m.field)),
                            ("wanted", .string(m.wanted)), ("found", .string(m.found)), ("unverifiable", .bool(m.unverifiable)),
                        ])
                    })
            ),
        ])
    }
}
