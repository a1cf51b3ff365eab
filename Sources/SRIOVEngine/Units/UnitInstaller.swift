import SRIOVCore
import SRIOVHost

/// The systemd units sriovctl installs (`boot enable`, `serve enable`): written as files of the
/// host, then `systemctl daemon-reload` and `enable`, all through the host, so a host tree only
/// records the programs and a simulated host keeps its own enabled units.
public enum UnitInstaller {
    /// The units' text, as they would be installed.
    public struct Rendered: Equatable, Sendable {
        public var files: [UnitFile]
        public init(files: [UnitFile]) { self.files = files }
    }

    public struct UnitFile: Equatable, Sendable {
        public var name: String
        public var text: String
    }

    /// The sriovctl units and hookscripts run: `binary`, or this one.
    public static func program(_ binary: String?) throws -> String {
        guard let path = binary ?? ThisProgram.path else {
            throw EngineError.invalidInput("cannot tell where this sriovctl is (no /proc?); pass --binary")
        }
        return path
    }

    /// `boot enable`: the apply unit and the watcher.
    public static func boot(binary: String, config: String, waitSeconds: Int) throws -> Rendered {
        try checkPaths(binary: binary, config: config)
        guard (0...3600).contains(waitSeconds) else { throw EngineError.invalidInput("--wait must be 0-3600 seconds") }
        return Rendered(files: [
            UnitFile(name: BootUnits.applyUnit, text: BootUnits.apply(binary: binary, config: config, waitSeconds: waitSeconds)),
            UnitFile(name: BootUnits.watchUnit, text: BootUnits.watch(binary: binary, config: config)),
        ])
    }

    /// `serve enable`: the metrics service.
    public static func metrics(binary: String, config: String, listen: ListenAddress) throws -> Rendered {
        try checkPaths(binary: binary, config: config)
        return Rendered(files: [UnitFile(name: BootUnits.metricsUnit, text: BootUnits.metrics(binary: binary, config: config, listen: listen))])
    }

    private static func checkPaths(binary: String, config: String) throws {
        for (option, path) in [("--binary", binary), ("--config", config)] where !BootUnits.isPlainPath(path) {
            throw EngineError.invalidInput(
                "\(option) \(path.debugDescription): a unit names it, so give an absolute path of letters, digits and - _ . / + @ : only")
        }
    }

    /// The units as the Debian package ships them: /usr/sbin/sriovctl, the default config, wait
    /// and listen address, a header that says where they come from.
    public static func packagedUnits() throws -> [UnitFile] {
        let boot = try Self.boot(binary: BootUnits.packagedBinary, config: BootUnits.defaultConfig, waitSeconds: BootUnits.defaultWaitSeconds)
        let metrics = try Self.metrics(binary: BootUnits.packagedBinary, config: BootUnits.defaultConfig, listen: .default)
        return (boot.files + metrics.files).map { unit in
            let enabler = unit.name == BootUnits.metricsUnit ? "serve" : "boot"
            var lines = unit.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            lines[0] = "# Part of the sriovctl package, not enabled by installing it: `sriovctl \(enabler) enable` enables it."
            return UnitFile(name: unit.name, text: lines.joined(separator: "\n"))
        }
    }

    /// The units as this host should have them: sriovctl's own units (no package) name in
    /// `Documentation=` only man pages the host has (a binary copied by hand brings none, and
    /// `systemd-analyze verify` fails on a page that is not there). A packaged unit is the
    /// package's, documentation included.
    static func fitted(_ rendered: Rendered, to files: RootedFileSystem) -> Rendered {
        Rendered(
            files: rendered.files.map { unit in
                if files.exists("\(BootUnits.packagedDirectory)/\(unit.name)") { return unit }
                var lines: [String] = []
                for line in unit.text.split(separator: "\n", omittingEmptySubsequences: false) {
                    guard line.hasPrefix("Documentation=") else {
                        lines.append(String(line))
                        continue
                    }
                    let kept = line.dropFirst("Documentation=".count).split(separator: " ").filter { page in
                        BootUnits.manPagePath(String(page)).map(files.exists) ?? true
                    }
                    if !kept.isEmpty { lines.append("Documentation=" + kept.joined(separator: " ")) }
                }
                return UnitFile(name: unit.name, text: lines.joined(separator: "\n"))
            })
    }

    /// Writes a packaged unit into a folder of this machine (packaging, not a host).
    public static func writePackaged(_ unit: UnitFile, into folder: String) throws {
        try AtomicFile.write(unit.text, to: "\(folder)/\(unit.name)")
    }

    /// Writes the units that differ, reloads systemd and enables them (and starts them with `now`).
    /// Where the Debian package installed a unit, that unit is used: only the options that differ
    /// from it go in a drop-in beside it. The boot units are refused for an invalid config: every
    /// boot would fail.
    ///
    /// The boot units are also refused while another SR-IOV manager would fight them at boot
    /// (naming each); with `takeOver` those are retired first, reversibly (`TakeOver`).
    ///
    /// With `dryRun` every check is made and each change only said (`would write ...`); nothing
    /// is written, run or saved.
    public static func enable(
        _ rendered: Rendered, now: Bool, takeOver: Bool = false, dryRun: Bool = false, on selection: HostSelection
    ) throws -> ChangeReport {
        let boot = rendered.files.contains(where: { $0.name == BootUnits.applyUnit })
        if boot { _ = try ConfigFile.load(selection.configPath) }
        var host = try selection.open()
        let rendered = fitted(rendered, to: host.files)
        var report = ChangeReport()
        report.dryRun = dryRun
        if boot {
            let fighting = TakeOver.fighting(TakeOver.scan(host))
            try host.files.escapes.check()
            if !fighting.isEmpty {
                guard takeOver else { throw TakeOver.refusal(fighting) }
                TakeOver.retire(fighting, on: &host, report: &report)
                guard !report.failed else {
                    if !dryRun { try host.save() }
                    return report
                }
            }
        }
        for unit in rendered.files {
            let needed = changes(installing: unit, files: host.files)
            if needed.isEmpty { report.lines.append("\(unit.name): already up to date") }
            for change in needed {
                guard report.perform(change, on: &host) else { return report }
            }
        }
        guard report.perform(.run(["systemctl", "daemon-reload"]), on: &host) else { return report }
        report.perform(.run(["systemctl", "enable"] + (now ? ["--now"] : []) + rendered.files.map(\.name)), on: &host)
        if !dryRun { try host.save() }
        return report
    }

    /// The file changes that make `unit` current: our own unit file, or the packaged unit with a
    /// drop-in (and no stale copy of ours shadowing it).
    static func changes(installing unit: UnitFile, files: RootedFileSystem) -> [HostChange] {
        let own = "\(BootUnits.directory)/\(unit.name)"
        let dropIn = BootUnits.dropInPath(unit.name)
        guard let packaged = files.readText("\(BootUnits.packagedDirectory)/\(unit.name)") else {
            return files.readText(own).map({ $0 + "\n" }) == unit.text ? [] : [.writeFile(own, unit.text)]
        }
        var changes: [HostChange] = []
        if files.exists(own) { changes.append(.removeFile(path: own)) }
        let wanted = UnitDropIn.make(packaged: packaged, wanted: unit.text)
        let present = files.readText(dropIn).map { $0 + "\n" }
        if let wanted, wanted != present { changes.append(.writeFile(dropIn, wanted)) }
        if wanted == nil && present != nil { changes.append(.removeFile(path: dropIn)) }
        return changes
    }

    /// Stops and disables the units, removes what sriovctl wrote for them (its own unit files, the
    /// drop-ins beside packaged units) and forgets their state. Packaged units stay installed.
    public static func disable(_ names: [String], on selection: HostSelection) throws -> ChangeReport {
        var host = try selection.open()
        var report = ChangeReport()
        let files = host.files
        let present = names.filter {
            files.exists("\(BootUnits.directory)/\($0)") || files.exists("\(BootUnits.packagedDirectory)/\($0)")
        }
        guard !present.isEmpty else {
            report.lines.append("no sriovctl units are installed")
            return report
        }
        report.perform(.run(["systemctl", "disable", "--now"] + present), on: &host)
        for name in present {
            for path in ["\(BootUnits.directory)/\(name)", BootUnits.dropInPath(name)] where files.exists(path) {
                report.perform(.removeFile(path: path), on: &host)
            }
        }
        report.perform(.run(["systemctl", "daemon-reload"]), on: &host)
        report.perform(.run(["systemctl", "reset-failed"] + present), on: &host, quiet: true)
        try host.save()
        return report
    }

    /// `boot disable --restore`: puts back the other SR-IOV managers `--take-over` retired.
    public static func restoreOtherManagers(on selection: HostSelection) throws -> ChangeReport {
        var host = try selection.open()
        var report = ChangeReport()
        TakeOver.restore(on: &host, report: &report)
        try host.save()
        return report
    }

    /// Installed, current, enabled, and what the last run did, per unit.
    public struct UnitStatus: Sendable {
        public var name: String
        public var installed: Bool
        public var current: Bool
        /// Installed by the Debian package (with or without a drop-in of sriovctl's).
        public var packaged: Bool
        /// `enabled`, `disabled`, ... as systemctl says; "unknown" where no program runs.
        public var enabled: String
        public var properties: [String: String]
    }

    public static func status(_ rendered: Rendered, on selection: HostSelection) throws -> [UnitStatus] {
        let host = try selection.open()
        let files = host.files
        return fitted(rendered, to: files).files.map { unit in
            let packaged = files.exists("\(BootUnits.packagedDirectory)/\(unit.name)")
            let installed = packaged || files.exists("\(BootUnits.directory)/\(unit.name)")
            let enabled = host.query(["systemctl", "is-enabled", unit.name])?.output.trimmingSpaces() ?? ""
            var properties: [String: String] = [:]
            if let show = host.query(["systemctl", "show", unit.name, "-p", "ActiveState,SubState,Result,ExecMainStatus,ExecMainExitTimestamp"]) {
                for line in show.output.split(separator: "\n") {
                    let parts = line.split(separator: "=", maxSplits: 1)
                    if parts.count == 2 { properties[String(parts[0])] = String(parts[1]) }
                }
            }
            return UnitStatus(
                name: unit.name, installed: installed, current: installed && changes(installing: unit, files: files).isEmpty,
                packaged: packaged, enabled: enabled.isEmpty ? "unknown" : enabled, properties: properties)
        }
    }

    /// The apply unit's log lines from this boot (none where no program runs).
    public static func lastBootLog(on selection: HostSelection) throws -> [String] {
        let host = try selection.open()
        guard let result = host.query(["journalctl", "-u", BootUnits.applyUnit, "-b", "--no-pager", "-o", "cat", "-n", "20"]),
            result.status == 0
        else { return [] }
        return result.output.split(separator: "\n").map(String.init)
    }
}
