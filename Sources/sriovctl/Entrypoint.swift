import ArgumentParser
import SRIOVEngine

@main
struct SRIOVCtl: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sriovctl",
        abstract: "SR-IOV virtual functions on Proxmox VE and Debian hosts, from one declarative file.",
        discussion: """
            Start with `sriovctl status` to see your SR-IOV NICs. Every command can run against the \
            bundled simulated host instead of real hardware: add `--simulate \(InstalledPaths.examples)/i350-t4-homelab.json`.

            Exit codes: 0 success, 1 the host refused or failed, 2 invalid input (nothing changed), \
            3 changes pending (plan --detailed-exitcode).

            Under --root DIR nothing outside DIR is read or written and no program runs: each program \
            a step would run is appended to DIR/run/sriovctl/commands.log and shown as `would run: ...`.
            """,
        version: SRIOVCtlVersion.current,
        subcommands: [
            Status.self, PlanCommand.self, ApplyCommand.self, InitCommand.self, CheckCommand.self, HostCommand.self, BootCommand.self,
            AssignCommand.self, HookscriptCommand.self, ProbeCommand.self, WhyCommand.self,
            TopCommand.self, ServeCommand.self, WatchCommand.self, Debug.self,
        ])

    @OptionGroup(title: "Global options") var global: GlobalOptions

    /// Runs the command and maps every failure to the exit codes of docs/reference.md: usage errors exit 2, not 64.
    static func main() async {
        do {
            if let quick = QuickInvocation(Array(CommandLine.arguments.dropFirst())) {
                try quick.run()
                terminate(ExitStatus.success.rawValue)
            }
            var command = try parseAsRoot()
            if var asynchronous = command as? any AsyncParsableCommand {
                try await asynchronous.run()
            } else {
                try command.run()
            }
        } catch let code as ExitCode {
            terminate(code.rawValue)
        } catch {
            if let (message, status) = CLIError.classify(error) {
                printError("sriovctl: \(message)")
                terminate(status.rawValue)
            }
            // Help, version and usage errors, as ArgumentParser words them.
            if exitCode(for: error) == .success {
                print(fullMessage(for: error))
                terminate(ExitStatus.success.rawValue)
            }
            var message = fullMessage(for: error)
            // A mistyped subcommand: say which one was meant.
            let arguments = Array(CommandLine.arguments.dropFirst())
            if let word = arguments.first(where: { !$0.hasPrefix("-") }), message.contains("Unexpected argument '\(word)'"),
                let meant = SubcommandSuggestion.closest(
                    to: word, among: configuration.subcommands.map { $0._commandName })
            {
                message = "unknown command '\(word)'; did you mean `sriovctl \(meant)`?\n" + message
            }
            printError("sriovctl: \(message)")
            terminate(ExitStatus.invalidInput.rawValue)
        }
    }
}
