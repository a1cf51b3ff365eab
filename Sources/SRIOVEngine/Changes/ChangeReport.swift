import SRIOVCore
import SRIOVHost

/// What carrying out a list of `HostChange`s did, line by line, for the user.
public struct ChangeReport: Sendable {
    public var lines: [String] = []
    public var failed = false
    /// Programs that were recorded instead of run (a host tree under `--root`).
    public var recorded: [[String]] = []
    /// `--dry-run`: each change is only said (`would write ...`), never made.
    public var dryRun = false

    public init() {}

    /// Performs `change` on `host` and says what happened. A failure is reported (and marks the
    /// report failed), not thrown; the result tells the caller whether to go on. `quiet` keeps
    /// a successful run and any failure out of the report (best-effort clean-ups).
    @discardableResult
    public mutating func perform<H: Host>(_ change: HostChange, on host: inout H, quiet: Bool = false) -> Bool {
        // On the simulated host every change is the simulation's, and the user is told so.
        let simulated = if case .simulated = host.kind { " (on the simulated host)" } else { "" }
        if dryRun {
            switch change {
            case .run: lines.append("would run: \(change.summary)")
            case let .writeFile(path, _, _): lines.append("would write \(path)")
            case let .removeFile(path): lines.append("would remove \(path)")
            }
            return true
        }
        do {
            let outcome = try host.perform(change)
            switch (change, outcome) {
            case (.run(let argv), .recorded):
                recorded.append(argv)
                lines.append("would run: \(change.summary) (--root: recorded in \(CommandRecorder.logPath), not run)")
            case (.run, .done):
                if !quiet { lines.append("ran \(change.summary)\(simulated)") }
            case (.writeFile(let path, _, _), _):
                lines.append("wrote \(path)\(simulated)")
            case (.removeFile(let path), _):
                lines.append("removed \(path)\(simulated)")
            }
            return true
        } catch {
            if !quiet {
                lines.append("\(error.change) failed: \(error.message)")
                failed = true
            }
            return false
        }
    }
}
