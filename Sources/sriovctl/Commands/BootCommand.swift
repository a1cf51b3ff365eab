import ArgumentParser
import SRIOVCore
import SRIOVHost

#if canImport(Glibc)
import Glibc
#endif

struct BootCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "boot",
        abstract: "The systemd units that bring the configured VFs back at every boot and after a PF reset.",
        discussion: """
            `boot enable` installs two units in /etc/systemd/system and enables them:
              sriovctl.service        runs `sriovctl apply --boot` early in the boot: after devices \
            are being probed, before the network configuration (network-pre.target) and before \
            Proxmox starts guests (pve-guests.service). It waits (bounded) for configured PFs to \
            appear; a PF that never shows up is reported and the others are still configured.
              sriovctl-watch.service  watches kernel device events and re-applies within seconds \
            when a PF's VFs disappear (someone wrote 0 to sriov_numvfs, a firmware update, \
            `rmmod igb`) or its driver comes back.
            `boot disable` stops and removes both, leaving no trace. `boot status` says whether they \
            are installed, current and enabled, and what the last boot's apply did.
            """,
        subcommands: [Enable.self, Disable.self, Status.self])

    struct UnitOptions: ParsableArguments {
        @Option(help: ArgumentHelp("The sriovctl the units run (default: this one).", valueName: "path"))
        var binary: String?
        @Option(help: ArgumentHelp("How long the boot unit waits for configured PFs.", valueName: "seconds"))
        var wait: Int = 60

        /// The sriovctl that units and hookscripts run: --binary, or this one.
        func binaryPath() throws -> String {
            let binary = try self.binary ?? currentExecutable()
            guard BootUnits.isPlainPath(binary) else {
                throw CLIError.invalidInput("--binary \(binary): give an absolute path without spaces, quotes, % or $")
            }
            return binary
        }

        func rendered(_ global: GlobalOptions) throws -> BootManager.Rendered {
            let binary = try binaryPath()
            let config = global.config ?? GlobalOptions.defaultConfig
            guard BootUnits.isPlainPath(config) else {
                throw CLIError.invalidInput("--config \(config): the units need an absolute path without spaces, quotes, % or $")
            }
            guard (0...3600).contains(wait) else { throw CLIError.invalidInput("--wait must be 0-3600 seconds") }
            return BootManager.render(binary: binary, config: config, waitSeconds: wait)
        }

        private func currentExecutable() throws -> String {
            guard let path = RootedFileSystem().linkTarget("/proc/self/exe") else {
                throw CLIError.invalidInput("cannot tell where this sriovctl is (no /proc?); pass --binary")
            }
            return path
        }
    }

    /// One line per unit: installed and current, enabled, running, and how its last run ended.
    static func describe(_ s: BootManager.UnitStatus, writer: String) -> String {
        var facts = [s.installed ? (s.current ? "installed" : "installed, but differs from what `\(writer)` writes now") : "not installed"]
        facts.append(s.enabled)
        if let state = s.properties["ActiveState"] { facts.append("\(state) (\(s.properties["SubState"] ?? "?"))") }
        if let result = s.properties["Result"], s.installed { facts.append("result \(result)") }
        if let code = s.properties["ExecMainStatus"], s.installed { facts.append("exit status \(code)") }
        if let at = s.properties["ExecMainExitTimestamp"], !at.isEmpty { facts.append("at \(at)") }
        return "\(s.name): " + facts.joined(separator: ", ")
    }

    /// Prints what installing or removing units did; a failed step is exit 1.
    static func report(_ log: BootManager.Log) throws {
        log.lines.forEach { print($0) }
        if log.failed { throw ExitCode(ExitStatus.hostFailed.rawValue) }
    }

    static func manager(_ global: GlobalOptions) -> BootManager {
        BootManager(fs: RootedFileSystem(root: global.root), runner: SystemCommandRunner())
    }

    struct Enable: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Install and enable the boot units.")
        @ParentCommand var sriovctl: SRIOVCtl
        @OptionGroup var unit: UnitOptions
        @Flag(help: "Also start them now (the watcher's first check applies the config).") var now = false

        func run() throws {
            let global = sriovctl.global
            let rendered = try unit.rendered(global)
            // An invalid config would make every boot fail: refuse it now.
            let configPath = global.root == "/" ? (global.config ?? GlobalOptions.defaultConfig) : global.configPath
            _ = try ConfigFile.load(configPath)
            try BootCommand.report(BootCommand.manager(global).enable(rendered, now: now))
            print("The VFs in \(global.config ?? GlobalOptions.defaultConfig) will be configured at every boot, before guests start.")
        }
    }

    struct Disable: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Stop, disable and remove the boot units. VFs stay as they are.")
        @ParentCommand var sriovctl: SRIOVCtl

        func run() throws {
            try BootCommand.report(BootCommand.manager(sriovctl.global).disable())
        }
    }

    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Are the units installed, current and enabled; what did the last boot do.")
        @ParentCommand var sriovctl: SRIOVCtl
        @OptionGroup var unit: UnitOptions

        func run() throws {
            let manager = BootCommand.manager(sriovctl.global)
            for s in manager.status(try unit.rendered(sriovctl.global)) {
                print(BootCommand.describe(s, writer: "boot enable"))
            }
            let log = manager.lastRunLog()
            if !log.isEmpty {
                print("This boot's apply:")
                log.forEach { print("  \($0)") }
            }
        }
    }
}
