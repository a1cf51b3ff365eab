/// One effect on a host beyond its SR-IOV state: a file written or removed, a program run.
/// Use cases plan these as values; a host performs them (for real, recorded under `--root`, or
/// simulated), and every program sriovctl starts is one of these. Other writes go through
/// SRIOVHost too, each in one place: the SR-IOV state through the host's own methods, sriovctl's
/// records (last apply, capabilities, forwarding entries) and the config `init` writes through
/// `Files/` (atomic writes), the apply lock through `ApplyLock`.
public enum HostChange: Hashable, Sendable {
    /// Replace the file atomically (created with `mode` when new; an existing file keeps its mode
    /// and owner).
    case writeFile(path: String, text: String, mode: UInt32)
    case removeFile(path: String)
    /// Run a program: an argv, never shell text.
    case run([String])

    public static func writeFile(_ path: String, _ text: String) -> HostChange { .writeFile(path: path, text: text, mode: 0o644) }

    /// What the change is, for logs and `would run:` lines.
    public var summary: String {
        switch self {
        case let .writeFile(path, _, _): "write \(path)"
        case let .removeFile(path): "remove \(path)"
        case let .run(argv): argv.map(Self.quoted).joined(separator: " ")
        }
    }

    /// An argument as a person would type it: plain words as they are, anything else in single quotes.
    public static func quoted(_ word: String) -> String {
        let plain = !word.isEmpty && word.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-_./:=,+@%".contains($0)) }
        return plain ? word : "'" + word.replacing("'", with: "'\\''") + "'"
    }
}

/// How a host carried out one `HostChange`.
public enum HostChangeOutcome: Hashable, Sendable {
    /// Done: the file is written, the program ran and exited 0 (its output kept).
    case done(output: String)
    /// Not done, by design: a rooted host (`--root`) records programs instead of running them.
    case recorded

    public var wasRecorded: Bool { self == .recorded }
}

/// A `HostChange` the host refused or that failed, with what to do.
public struct HostChangeFailure: Error, Hashable, Sendable, CustomStringConvertible {
    public var change: String
    public var message: String

    public init(change: HostChange, message: String) {
        self.change = change.summary
        self.message = message
    }

    public var description: String { "\(change): \(message)" }
}
