import ArgumentParser
import SRIOVCore
import SRIOVEngine

struct WhyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "why",
        abstract: "Explain why a Proxmox guest has no (or odd) network: its VFs and bridged NICs, what is wrong, the fix.",
        discussion: """
            For the guest's every VF (hostpci lines, directly or through a mapping) and every NIC \
            on a bridge: a start Proxmox would refuse (with Proxmox's own words), the PF down or \
            without a link, a VF taken from the running guest (re-created or rebound since it \
            started), an all-zero MAC, settings that differ from the config, an untrusted VF on a \
            driver that silently drops what CARP and VLAN trunks need, dropped packets, and a \
            bridge over a PF whose VFs' guests cannot reach the NIC without sync-bridge-fdb. \
            Changes nothing.

            Exit codes: 0 nothing wrong found (notes allowed), 1 a problem found, 2 bad input \
            (no such guest, not Proxmox VE).
            """)

    @ParentCommand var sriovctl: SRIOVCtl
    @Argument(help: "The guest's VM id.", completion: ShellCompletions.guest) var vmid: Int
    @Flag(help: "Print JSON.") var json = false

    func validate() throws {
        guard (100...999_999_999).contains(vmid) else {
            throw ValidationError("\(vmid): a Proxmox VM id is 100-999999999")
        }
    }

    func run() throws {
        let outcome = try WhyUseCase.run(vmid: vmid, on: sriovctl.global.selection)
        let problems = outcome.findings.filter { $0.severity == .problem }.count
        if json {
            print(
                JSONValue.object([
                    ("vmid", .int(outcome.vmid)), ("running", .bool(outcome.running)),
                    ("devices", .array(outcome.devices.map(JSONValue.string))),
                    (
                        "findings",
                        .array(
                            outcome.findings.map { f in
                                .object([
                                    ("severity", .string(f.severity.rawValue)), ("subject", .string(f.subject)), ("what", .string(f.what)),
                                    ("fix", .string(f.fix)),
                                ])
                            })
                    ),
                    ("config", .optional(outcome.configNote, JSONValue.string)), ("problems", .int(problems)),
                ]).serialized(pretty: true))
        } else {
            var lines = ["VM \(outcome.vmid) (\(outcome.running ? "running" : "stopped"))"]
            lines += outcome.devices.isEmpty ? ["  no VF of this host"] : outcome.devices.map { "  \($0)" }
            if let note = outcome.configNote { lines.append("  (\(note))") }
            lines.append("")
            if outcome.findings.isEmpty { lines.append("Nothing found that explains lost connectivity.") }
            for f in outcome.findings {
                lines.append("[\(f.severity == .problem ? "PROBLEM" : "NOTE")] \(f.subject): \(f.what)")
                lines.append("    fix: \(f.fix)")
            }
            print(lines.joined(separator: "\n").terminalSafe)
        }
        if problems > 0 { throw ExitCode(ExitStatus.hostFailed.rawValue) }
    }
}
