import SRIOVCore

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Where the last apply's result is kept: `/run/sriovctl/last-apply.json` (under --root), or
/// beside a simulated host's state file. Written atomically after every apply; read by `serve`.
public struct ApplyRecordStore: Sendable {
    public let path: String

    public init(path: String) { self.path = path }

    /// The place for a real or rooted host.
    public static func forRoot(_ root: String) -> ApplyRecordStore {
        ApplyRecordStore(path: RootedFileSystem(root: root).runFolder + "/last-apply.json")
    }

    public func save(_ record: ApplyRecord) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let text = String(decoding: try encoder.encode(record), as: UTF8.self) + "\n"
        AtomicFile.makeDirectories(String(path[..<(path.lastIndex(of: "/") ?? path.startIndex)]))
        try AtomicFile.write(text, to: path)
    }

    /// The last record; nil when no apply ran since boot, or the file is not a record sriovctl
    /// could have written (over 256 KiB, not its JSON, values out of range).
    public func load() -> ApplyRecord? {
        guard let bytes = RootedFileSystem().readBytes(path, limit: 256 << 10),
            let record = try? JSONDecoder().decode(ApplyRecord.self, from: Data(bytes)), record.isSound
        else { return nil }
        return record
    }
}
