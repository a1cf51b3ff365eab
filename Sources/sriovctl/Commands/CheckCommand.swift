import ArgumentParser
import SRIOVCore
import SRIOVEngine

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Check every SR-IOV prerequisite and say exactly how to fix what is missing.",
        discussion: """
            One line per prerequisite: ok, warn, fail or info, with the evidence and the fix. \
            Looks at: CPU virtualization flags, the IOMMU (groups, the firmware's DMAR/IVRS table, \
            interrupt remapping), the kernel command line, vfio modules, the bootloader, SR-IOV \
            devices, VF creation errors in the kernel log (short PCI memory or bus numbers), the \
            config file, the boot unit, whether the host matches the config, VFs whose written keys \
            break their role, and for each PF what its driver does with VF settings (from the \
            driver's kernel source, or `sriovctl probe`). Changes nothing.

            With --root it judges that host tree, with --simulate the simulated host; never this machine.

            Exit codes: 0 nothing failed (warnings allowed), 1 something failed.
            """)

    @ParentCommand var sriovctl: SRIOVCtl
    @Flag(help: "Print JSON.") var json = false

    func run() throws {
        let results = try CheckUseCase.run(on: sriovctl.global.selection)
        let failed = results.filter { $0.state == .fail }.count
        let warnings = results.filter { $0.state == .warn }.count
        if json {
            print(
                JSONValue.object([
                    (
                        "checks",
                        .array(
                            results.map { r in
                                .object([
                                    ("id", .string(r.id)), ("title", .string(r.title)), ("state", .string(r.state.rawValue)),
                                    ("evidence", .string(r.evidence)), ("fix", .optional(r.fix, JSONValue.string)),
                                ])
                            })
                    ),
                    ("failed", .int(failed)), ("warnings", .int(warnings)),
                ]).serialized(pretty: true))
        } else {
            for r in results {
                print("[\(r.state.rawValue.uppercased().padding(4))] \(r.title): \(r.evidence.replacingNewlines())".terminalSafe)
                if let fix = r.fix, r.state != .ok { print("       fix: \(fix)".terminalSafe) }
            }
            print(
                failed == 0
                    ? "\nNothing failed\(warnings > 0 ? " (\(warnings) warning\(warnings == 1 ? "" : "s"))" : "")."
                    : "\n\(failed) check\(failed == 1 ? "" : "s") failed.")
        }
        if failed > 0 { throw ExitCode(ExitStatus.hostFailed.rawValue) }
    }
}

extension String {
    func padding(_ width: Int) -> String { count >= width ? self : self + String(repeating: " ", count: width - count) }
    func replacingNewlines() -> String { split(separator: "\n").joined(separator: "\n       ") }
}
