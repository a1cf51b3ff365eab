import Foundation

/// A folder that disappears with the test: a host tree for `--root`, or files a test writes.
/// Shared by the test suites (one copy, in the TestSupport target).
public final class TemporaryTree {
    public let root: URL

    public init() throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("sriovctl-tree-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: root) }

    /// Writes `text` exactly at `path` (relative to the root), making its folders.
    public func write(_ path: String, _ text: String) throws {
        let url = root.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }

    /// Writes `text` and a newline, as sysfs and procfs attributes read.
    public func writeLine(_ path: String, _ text: String) throws { try write(path, text + "\n") }

    /// The file at `path`, nil when missing or not UTF-8.
    public func read(_ path: String) -> String? { try? String(contentsOf: root.appendingPathComponent(path), encoding: .utf8) }

    /// A symbolic link at `path` to `target`.
    public func link(_ path: String, to target: String) throws {
        let url = root.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: url.path, withDestinationPath: target)
    }

    /// A copy of `source` (a file or folder) at `path`.
    public func copy(from source: URL, to path: String) throws {
        try FileManager.default.copyItem(at: source, to: root.appendingPathComponent(path))
    }
}
