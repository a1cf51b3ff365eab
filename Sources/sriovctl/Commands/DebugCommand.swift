import ArgumentParser
import SRIOVEngine

/// Tools for developers and bug reports; not part of the stable interface.
struct Debug: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "debug",
        abstract: "Developer tools: capture what the kernel says, for fixtures and bug reports.",
        shouldDisplay: false,
        subcommands: [CaptureNetlink.self, PackagedUnits.self, PackageRemoval.self, ManExamples.self])

    struct CaptureNetlink: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "capture-netlink",
            abstract: "Write the raw bytes of one RTM_GETLINK dump (with VF info) to a file.",
            discussion: """
                A tree for --root reads the link dump from ROOT/run/sriovctl/netlink-dump.bin and the \
                forwarding-table dump (--fdb) from ROOT/run/sriovctl/fdb-dump.bin.
                """)

        @Argument(help: "Where to write the capture.") var output: String
        @Flag(help: "Ask for VF stats too.") var stats = false
        @Flag(help: "Capture the forwarding tables (bridge fdb show) instead of the links.") var fdb = false

        func run() throws {
            let capture = try NetlinkCapturing.capture(to: output, withStats: stats, forwarding: fdb)
            print("captured \(capture.datagrams) datagrams, \(capture.bytes) bytes, sequence \(capture.sequence)")
        }
    }

    /// What the Debian package installs under /usr/lib/systemd/system (scripts/package runs it).
    struct PackagedUnits: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "packaged-units",
            abstract: "Write the units the Debian package installs into a folder.")

        @Argument(help: "The folder.") var output: String

        func run() throws {
            for unit in try UnitInstaller.packagedUnits() {
                try UnitInstaller.writePackaged(unit, into: output)
                print(unit.name)
            }
        }
    }

    /// What the Debian package's prerm runs before the package is removed.
    struct PackageRemoval: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "package-removal",
            abstract: "Before the package is removed: put back what --take-over retired, detach hookscripts, disable the units.",
            discussion: """
                Refuses (exit 1, nothing changed) while sriovctl.service is the only thing that makes \
                the config's VFs at boot; --anyway (SRIOVCTL_REMOVE_ANYWAY=1 for apt) removes anyway. \
                See /usr/share/doc/sriovctl/README.Debian.
                """)

        @ParentCommand var sriovctl: SRIOVCtl
        @Flag(help: "Remove even though nothing else makes the VFs at boot.") var anyway = false

        func run() throws {
            try report(SRIOVEngine.PackageRemoval.run(on: sriovctl.global.selection, anyway: anyway))
        }
    }

    /// The man pages' EXAMPLES (scripts/package): `command<TAB>line<TAB>what it does` per line.
    struct ManExamples: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "man-examples",
            abstract: "Print the examples the man pages carry; --check parses each and finds commands without any.")

        @Flag(help: "Parse every example as sriovctl would; exit 1 naming each that does not parse or a command that has none.")
        var check = false

        func run() throws {
            guard check else {
                for (command, examples) in ManualExamples.byCommand {
                    for example in examples { print("\(command)\t\(example.line)\t\(example.says)") }
                }
                return
            }
            var problems: [String] = []
            let documented = Set(ManualExamples.byCommand.map(\.command))
            for path in Self.visibleCommands(SRIOVCtl.self, prefix: []) where !documented.contains(path) {
                problems.append("`sriovctl \(path)` has no example")
            }
            for (command, examples) in ManualExamples.byCommand {
                for example in examples {
                    let words = example.line.split(separator: " ").map(String.init)
                    guard words.first == "sriovctl", words.dropFirst().joined(separator: " ").hasPrefix(command) else {
                        problems.append("\(example.line): not a `sriovctl \(command)` line")
                        continue
                    }
                    do {
                        let parsed = try SRIOVCtl.parseAsRoot(Array(words.dropFirst()))
                        if type(of: parsed)._commandName != command.split(separator: " ").last.map(String.init) {
                            // A group's example may run one of its subcommands.
                            let group = command.split(separator: " ").count == 1 && words.count > 2
                            if !group { problems.append("\(example.line): parsed as `\(type(of: parsed)._commandName)`") }
                        }
                    } catch {
                        problems.append("\(example.line): \(SRIOVCtl.message(for: error))")
                    }
                }
            }
            problems.forEach { printError($0) }
            guard problems.isEmpty else { throw ExitCode(ExitStatus.hostFailed.rawValue) }
            print("\(ManualExamples.byCommand.reduce(0) { $0 + $1.examples.count }) examples parse; every command has one")
        }

        /// The commands a user sees (`boot enable`), as typed.
        static func visibleCommands(_ command: any ParsableCommand.Type, prefix: [String]) -> [String] {
            command.configuration.subcommands.filter { $0.configuration.shouldDisplay }.flatMap { sub -> [String] in
                let path = prefix + [sub._commandName]
                return [path.joined(separator: " ")] + visibleCommands(sub, prefix: path)
            }
        }
    }
}
