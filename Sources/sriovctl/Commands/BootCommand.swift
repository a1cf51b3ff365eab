import ArgumentParser
import SRIOVCore
import SRIOVEngine

struct BootCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "boot",
        abstract: "The systemd units that bring the configured VFs back at every boot and after a PF reset.",
        discussion: """
            `boot enable` enables two units: the Debian package's in /usr/lib/systemd/system (other \
            options than the defaults go in a drop-in beside each), or, without the package, its own \
            in /etc/systemd/system:
              sriovctl.service        runs `sriovctl apply --boot` early in the boot: after devices \
            are being probed, before the network configuration (network-pre.target) and before \
            Proxmox starts guests (pve-guests.service). It waits (bounded) for configured PFs to \
            appear; a PF that never shows up is reported and the others are still configured.
              sriovctl-watch.service  watches kernel device events and re-applies within seconds \
            when a PF's VFs disappear (someone wrote 0 to sriov_numvfs, a firmware update, \
            `rmmod igb`) or its driver comes back.
            `boot disable` stops and removes both, leaving no trace. `boot status` says whether they \
            are installed, current and enabled, and what the last boot's apply did.

            Another tool that sets VFs at boot (a hand-written sriov.service, post-up lines in \
            /etc/network/interfaces, sysfs.conf, a udev rule, modprobe max_vfs, a systemd .link \
            file, NetworkManager, netplan) would fight sriovctl at every boot: `boot enable` refuses \
            and names it (so does `check`). `boot enable --take-over` retires each one reversibly, \
            and `boot disable --restore` puts them back.
            """,
        subcommands: [Enable.self, Disable.self, Status.self])

    struct UnitOptions: ParsableArguments {
        @Option(help: ArgumentHelp("The sriovctl the units run (default: this one).", valueName: "path"))
        var binary: String?
        @Option(help: ArgumentHelp("How long the boot unit waits for configured PFs.", valueName: "seconds"))
        var wait: Int = 60

        func rendered(_ global: GlobalOptions) throws -> UnitInstaller.Rendered {
            try UnitInstaller.boot(binary: thisProgram(binary), config: global.selection.configPathOnHost, waitSeconds: wait)
        }
    }

    /// One line per unit: installed and current, enabled, running, and how its last run ended.
    static func describe(_ s: UnitInstaller.UnitStatus, writer: String) -> String {
        var facts = [s.installed ? (s.current ? "installed" : "installed, but differs from what `\(writer)` writes now") : "not installed"]
        facts.append(s.enabled)
        if let state = s.properties["ActiveState"] { facts.append("\(state) (\(s.properties["SubState"] ?? "?"))") }
        if let result = s.properties["Result"], s.installed { facts.append("result \(result)") }
        if let code = s.properties["ExecMainStatus"], s.installed { facts.append("exit status \(code)") }
        if let at = s.properties["ExecMainExitTimestamp"], !at.isEmpty { facts.append("at \(at)") }
        return "\(s.name): " + facts.joined(separator: ", ")
    }

    struct Enable: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "enable", abstract: "Install and enable the boot units.")
        @ParentCommand var sriovctl: SRIOVCtl
        @OptionGroup var unit: UnitOptions
        @Flag(help: "Also start them now (the watcher's first check applies the config).") var now = false
        @Flag(
            help: ArgumentHelp(
                "Retire other SR-IOV managers that would fight sriovctl at boot (units disabled, lines commented out, files moved aside; each shown and backed up).",
                discussion:
                    "`boot disable --restore` puts them back; `--take-over --dry-run` shows each edit first. NetworkManager and netplan are not edited: the command to run is shown."
            )) var takeOver = false
        @Flag(help: "Show what would be retired (each edit as a diff), written and run; change nothing.") var dryRun = false

        func run() throws {
            let selection = sriovctl.global.selection
            let rendered = try unit.rendered(sriovctl.global)
            try report(UnitInstaller.enable(rendered, now: now, takeOver: takeOver, dryRun: dryRun, on: selection))
            if dryRun {
                print("Nothing was changed (--dry-run).")
            } else {
                print("The VFs in \(selection.configPathOnHost) will be configured at every boot, before guests start.")
            }
        }
    }

    struct Disable: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "disable", abstract: "Stop, disable and remove the boot units. VFs stay as they are.")
        @ParentCommand var sriovctl: SRIOVCtl
        @Flag(help: "Also put back the other SR-IOV managers `boot enable --take-over` retired.") var restore = false

        func run() throws {
            try report(UnitInstaller.disable([BootUnits.watchUnit, BootUnits.applyUnit], on: sriovctl.global.selection))
            if restore { try report(UnitInstaller.restoreOtherManagers(on: sriovctl.global.selection)) }
        }
    }

    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "status", abstract: "Are the units installed, current and enabled; what did the last boot do.")
        @ParentCommand var sriovctl: SRIOVCtl
        @OptionGroup var unit: UnitOptions

        func run() throws {
            let selection = sriovctl.global.selection
            for s in try UnitInstaller.status(unit.rendered(sriovctl.global), on: selection) {
                print(BootCommand.describe(s, writer: "boot enable"))
            }
            let log = try UnitInstaller.lastBootLog(on: selection)
            if !log.isEmpty {
                print("This boot's apply:")
                log.forEach { print("  \($0)") }
            }
        }
    }
}
