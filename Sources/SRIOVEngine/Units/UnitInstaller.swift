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

    /// Writes the units that differ, reloads systemd and enables them (and starts them with `now`).
    /// The boot units are refused for an invalid config: every boot would fail.
    public static func enable(_ rendered: Rendered, now: Bool, on selection: HostSelection) throws -> ChangeReport {
        if rendered.files.contains(where: { $0.name == BootUnits.applyUnit }) { _ = try ConfigFile.load(selection.configPath) }
        var host = try selection.open()
        var report = ChangeReport()
        for unit in rendered.files {
            let path = "\(BootUnits.directory)/\(unit.name)"
            if host.files.readText(path).map({ $0 + "\n" }) == unit.text {
                report.lines.append("\(path): already up to date")
                continue
            }
            guard report.perform(.writeFile(path, unit.text), on: &host) else { return report }
        }
        guard report.perform(.run(["systemctl", "daemon-reload"]), on: &host) else { return report }
        report.perform(.run(["systemctl", "enable"] + (now ? ["--now"] : []) + rendered.files.map(\.name)), on: &host)
        try host.save()
        return report
    }

    /// Stops and disables the units, removes their files and forgets their state.
    public static func disable(_ names: [String], on selection: HostSelection) throws -> ChangeReport {
        var host = try selection.open()
        var report = ChangeReport()
        let present = names.filter { host.files.exists("\(BootUnits.directory)/\($0)") }
        guard !present.isEmpty else {
            report.lines.append("no sriovctl units are installed")
            return report
        }
        report.perform(.run(["systemctl", "disable", "--now"] + present), on: &host)
        for name in present { report.perform(.removeFile(path: "\(BootUnits.directory)/\(name)"), on: &host) }
        report.perform(.run(["systemctl", "daemon-reload"]), on: &host)
        report.perform(.run(["systemctl", "reset-failed"] + present), on: &host, quiet: true)
        try host.save()
        return report
    }

    /// Installed, current, enabled, and what the last run did, per unit.
    public struct UnitStatus: Sendable {
        public var name: String
        public var installed: Bool
        public var current: Bool
        /// `enabled`, `disabled`, ... as systemctl says; "unknown" where no program runs.
        public var enabled: String
        public var properties: [String: String]
    }

    public static func status(_ rendered: Rendered, on selection: HostSelection) throws -> [UnitStatus] {
        let host = try selection.open()
        return rendered.files.map { unit in
            let content = host.files.readText("\(BootUnits.directory)/\(unit.name)")
            let enabled = host.query(["systemctl", "is-enabled", unit.name])?.output.trimmingSpaces() ?? ""
            var properties: [String: String] = [:]
            if let show = host.query(["systemctl", "show", unit.name, "-p", "ActiveState,SubState,Result,ExecMainStatus,ExecMainExitTimestamp"]) {
                for line in show.output.split(separator: "\n") {
                    let parts = line.split(separator: "=", maxSplits: 1)
                    if parts.count == 2 { properties[String(parts[0])] = String(parts[1]) }
                }
            }
            return UnitStatus(
                name: unit.name, installed: content != nil, current: content.map { $0 + "\n" } == unit.text,
                enabled: enabled.isEmpty ? "unknown" : enabled, properties: properties)
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
