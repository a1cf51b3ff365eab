import SRIOVCore

/// Installs, removes and describes the boot units. Files go under the root (atomically);
/// systemctl runs through the command runner, so tests see exactly what would run.
public struct BootManager {
    public let fs: RootedFileSystem
    public let runner: any CommandRunning

    public init(fs: RootedFileSystem, runner: any CommandRunning) {
        self.fs = fs
        self.runner = runner
    }

    public struct Rendered: Equatable, Sendable {
        public var files: [(name: String, text: String)]
        public static func == (a: Rendered, b: Rendered) -> Bool {
            a.files.map(\.name) == b.files.map(\.name) && a.files.map(\.text) == b.files.map(\.text)
        }
    }

    /// The metrics service `sriovctl serve enable` installs.
    public static func renderMetrics(binary: String, config: String, listen: ListenAddress) -> Rendered {
        Rendered(files: [(BootUnits.metricsUnit, BootUnits.metrics(binary: binary, config: config, listen: listen))])
    }

    public static func render(binary: String, config: String, waitSeconds: Int) -> Rendered {
        Rendered(files: [
            (BootUnits.applyUnit, BootUnits.apply(binary: binary, config: config, waitSeconds: waitSeconds)),
            (BootUnits.watchUnit, BootUnits.watch(binary: binary, config: config)),
        ])
    }

    /// What happened, step by step, for the user.
    public struct Log: Sendable {
        public var lines: [String] = []
        public var failed = false
    }

    /// Writes the units, reloads systemd and enables them (and starts them with `now`).
    public func enable(_ rendered: Rendered, now: Bool) -> Log {
        var log = Log()
        AtomicFile.makeDirectories(fs.resolve(BootUnits.directory))
        for (name, text) in rendered.files {
            let path = "\(BootUnits.directory)/\(name)"
            if fs.readText(path).map({ $0 + "\n" }) == text {
                log.lines.append("\(path): already up to date")
                continue
            }
            do {
                try AtomicFile.write(text, to: fs.resolve(path))
                log.lines.append("wrote \(path)")
            } catch {
                log.lines.append("could not write \(path): \(error)")
                log.failed = true
                return log
            }
        }
        run(["systemctl", "daemon-reload"], &log)
        var enable = ["systemctl", "enable"]
        if now { enable.append("--now") }
        run(enable + rendered.files.map(\.name), &log)
        return log
    }

    /// Stops and disables the units (the boot units unless named), removes their files and forgets their state.
    public func disable(_ names: [String] = [BootUnits.watchUnit, BootUnits.applyUnit]) -> Log {
        var log = Log()
        let present = names.filter { fs.exists("\(BootUnits.directory)/\($0)") }
        if present.isEmpty {
            log.lines.append("no sriovctl units are installed")
            return log
        }
        run(["systemctl", "disable", "--now"] + present, &log)
        for name in present {
            let path = "\(BootUnits.directory)/\(name)"
            if unlinkFile(fs.resolve(path)) { log.lines.append("removed \(path)") } else {
                log.lines.append("could not remove \(path)")
                log.failed = true
            }
        }
        run(["systemctl", "daemon-reload"], &log)
        run(["systemctl", "reset-failed"] + present, &log, quiet: true)
        return log
    }

    /// Installed, current, enabled, and what the last run did, per unit.
    public struct UnitStatus: Sendable {
        public var name: String
        public var installed: Bool
        public var current: Bool
        public var enabled: String
        public var properties: [String: String]
    }

    public func status(_ rendered: Rendered) -> [UnitStatus] {
        rendered.files.map { name, text in
            let path = "\(BootUnits.directory)/\(name)"
            let content = fs.readText(path)
            let enabled = (try? runner.run(["systemctl", "is-enabled", name]))?.output.trimmingSpaces() ?? "unknown"
            var properties: [String: String] = [:]
            if let show = try? runner.run(["systemctl", "show", name, "-p", "ActiveState,SubState,Result,ExecMainStatus,ExecMainExitTimestamp"]) {
                for line in show.output.split(separator: "\n") {
                    let parts = line.split(separator: "=", maxSplits: 1)
                    if parts.count == 2 { properties[String(parts[0])] = String(parts[1]) }
                }
            }
            return UnitStatus(name: name, installed: content != nil, current: content.map { $0 + "\n" } == text,
                              enabled: enabled.isEmpty ? "unknown" : enabled, properties: properties)
        }
    }

    /// The apply unit's log lines from this boot.
    public func lastRunLog() -> [String] {
        guard let result = try? runner.run(["journalctl", "-u", BootUnits.applyUnit, "-b", "--no-pager", "-o", "cat", "-n", "20"]),
              result.status == 0
        else { return [] }
        return result.output.split(separator: "\n").map(String.init)
    }

    private func run(_ argv: [String], _ log: inout Log, quiet: Bool = false) {
        do {
            let result = try runner.run(argv)
            if result.status == 0 {
                if !quiet { log.lines.append("ran \(argv.joined(separator: " "))") }
            } else if !quiet {
                log.lines.append("\(argv.joined(separator: " ")) exited \(result.status): \(result.errorOutput.trimmingSpaces())")
                log.failed = true
            }
        } catch {
            if !quiet {
                log.lines.append("\(error)")
                log.failed = true
            }
        }
    }
}

#if canImport(Glibc)
import Glibc
#endif

private func unlinkFile(_ path: String) -> Bool { unlink(path) == 0 }
