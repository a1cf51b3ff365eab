import Foundation

/// Seed corpora and crash reproducers on disk: `Tests/Fixtures/fuzz/TARGET/` in the repository.
public enum CorpusFiles {
    /// The file itself, or the regular files of a directory (not recursive), sorted.
    public static func list(_ path: String) -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return [] }
        guard isDirectory.boolValue else { return [path] }
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path)) ?? []
        return names.filter { !$0.hasPrefix(".") }.sorted().map { "\(path)/\($0)" }
    }

    public static func read(_ path: String, limit: Int) -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else { return [] }
        return Array(data.prefix(limit))
    }
}
