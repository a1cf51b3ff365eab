import SRIOVCore
import SRIOVHost

/// Reads the files where other SR-IOV managers keep their settings from a host (its root, its
/// tree, or the simulated host's folder), each at most 1 MiB.
enum OtherManagerFilesReader {
    static let maximumFileBytes = 1 << 20

    static func read(_ files: RootedFileSystem) -> OtherManagerFiles {
        var texts: [String: String] = [:]
        func take(_ path: String) {
            guard let bytes = files.readBytes(path, limit: maximumFileBytes) else { return }
            texts[path] = String(decoding: bytes, as: UTF8.self)
        }
        for path in OtherManagerFiles.singleFiles { take(path) }
        for (folder, suffix) in OtherManagerFiles.places {
            for name in files.list(folder) where name.hasSuffix(suffix) && !name.hasPrefix(".") { take("\(folder)/\(name)") }
        }
        var enabled: Set<String> = []
        for wants in files.list("/etc/systemd/system") where wants.hasSuffix(".wants") || wants.hasSuffix(".requires") {
            for unit in files.list("/etc/systemd/system/\(wants)") { enabled.insert(unit) }
        }
        return OtherManagerFiles(texts: texts, enabledUnits: enabled)
    }
}
