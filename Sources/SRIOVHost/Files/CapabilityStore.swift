import SRIOVCore

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// `/var/lib/sriovctl/capabilities.json` (under the host's root): what `sriovctl probe` found.
/// A file that is not a record sriovctl could have written is never used: `load` says why.
public struct CapabilityStore: Sendable {
    public static let path = "/var/lib/sriovctl/capabilities.json"
    public let files: RootedFileSystem

    public init(files: RootedFileSystem) { self.files = files }

    /// The record, nil when there is none; throws when the file is there and unusable.
    public func load() throws(HostError) -> CapabilityRecord? {
        let machine = try confined()
        guard files.exists(Self.path) else { return nil }
        guard let bytes = RootedFileSystem().readBytes(machine, limit: 1 << 20),
            let record = try? JSONDecoder().decode(CapabilityRecord.self, from: Data(bytes)), record.isSound
        else {
            throw HostError.unreadable(
                path: Self.path,
                reason:
                    "not a record sriovctl probe writes (over 1 MiB, not its JSON, or values out of range); remove it or run `sriovctl probe` again")
        }
        return record
    }

    /// The record when it is usable; nil otherwise (planning goes on with the kernel-source profiles).
    public func loadIfSound() -> CapabilityRecord? { (try? load()) ?? nil }

    public func save(_ record: CapabilityRecord) throws {
        let machine = try confined()
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        AtomicFile.makeDirectories(String(machine[..<(machine.lastIndex(of: "/") ?? machine.startIndex)]))
        try AtomicFile.write(String(decoding: try encoder.encode(record), as: UTF8.self) + "\n", to: machine)
    }

    private func confined() throws(HostError) -> String {
        do {
            return try files.confining(Self.path)
        } catch {
            throw HostError.unreadable(path: Self.path, reason: "\(error)")
        }
    }
}
