import ArgumentParser
import SRIOVCore
import SRIOVEngine

struct ProbeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "probe",
        abstract: "Ask a PF's driver which VF settings it takes, on this host, and remember the answers.",
        discussion: """
            Tries each VF setting a config can write (spoof-check, trust, a port VLAN, QoS, \
            802.1ad, link state, rates) on one VF that nothing uses, reads it back, and puts every \
            value it touched back as it was. When the PF has no VFs it makes one for the probe and \
            removes it after (nothing can be using it), and says so; when every VF is in use it \
            refuses. The MAC is never touched.

            The answers (ok, ignored, or the errno the driver gave) are kept per driver, VF device \
            and firmware version in /var/lib/sriovctl/capabilities.json. `plan` then uses them \
            instead of the profile sriovctl has from the driver's kernel source, and says so.

            Needs a kernel that answers: this host, or the simulated host; not --root.

            Exit codes: 0 probed and restored, 1 a value could not be put back (listed), 2 bad \
            input (no such PF, every VF in use, --root).
            """)

    @ParentCommand var sriovctl: SRIOVCtl
    @Argument(help: "The PF: interface name, PCI address or permanent MAC.", completion: ShellCompletions.pf) var pf: String
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        let outcome = try ProbeUseCase.run(pf: pf, on: sriovctl.global.selection, logger: ChangeLog.logger)
        if json {
            print(
                JSONValue.object([
                    ("pf", .string(outcome.pf)), ("driver", .string(outcome.driver)),
                    ("vfDevice", .optional(outcome.vfDevice, JSONValue.string)),
                    ("firmware", .optional(outcome.firmware, JSONValue.string)), ("vf", .int(outcome.vf)),
                    ("createdVF", .bool(outcome.createdVF)),
                    ("answers", .object(outcome.answers.map { ($0.name, JSONValue.string($0.answer)) })),
                    ("notRestored", .array(outcome.notRestored.map(JSONValue.string))), ("record", .string(outcome.recordPath)),
                ]).serialized(pretty: true))
        } else {
            var lines = [
                "\(outcome.pf): \(outcome.driver)\(outcome.vfDevice.map { " (VF \($0))" } ?? ""), firmware \(outcome.firmware ?? "unknown"); tried on VF \(outcome.vf)\(outcome.createdVF ? ", made for the probe and removed after" : "")"
            ]
            lines += outcome.answers.map { "  \($0.name.padding(24)) \($0.answer)" }
            lines.append(
                outcome.notRestored.isEmpty
                    ? "Every value probe touched is back as it was. Answers kept in \(outcome.recordPath): plan uses them."
                    : "NOT put back:\n" + outcome.notRestored.map { "  \($0)" }.joined(separator: "\n"))
            print(lines.joined(separator: "\n").terminalSafe)
        }
        if !outcome.notRestored.isEmpty { throw ExitCode(ExitStatus.hostFailed.rawValue) }
    }
}
