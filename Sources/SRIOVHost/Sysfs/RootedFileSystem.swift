#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Reads files and links below a root (`/` on a real host, a fixture tree in tests, `--root`).
/// Paths are always absolute host paths such as `/sys/bus/pci/devices`; the root is prefixed here
/// and nowhere else.
public struct RootedFileSystem: Sendable {
    public let root: String

    public init(root: String = "/") {
        var r = root
        while r.count > 1 && r.hasSuffix("/") { r.removeLast() }
        self.root = r
    }

    /// The path on this machine for a host path.
    public func resolve(_ path: String) -> String {
        root == "/" ? path : root + path
    }

    /// A small text file's content without the trailing newline; nil when absent or unreadable.
    public func readText(_ path: String) -> String? {
        guard let bytes = readBytes(path) else { return nil }
        var text = String(decoding: bytes, as: UTF8.self)
        while text.hasSuffix("\n") { text.removeLast() }
        return text
    }

    /// The whole file as bytes; nil when absent.
    public func readBytes(_ path: String) -> [UInt8]? {
        let fd = open(resolve(path), O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { break }
            bytes.append(contentsOf: chunk[0..<n])
        }
        return bytes
    }

    public func readInt(_ path: String) -> Int? {
        readText(path).flatMap { Int($0.trimmingSpaces()) }
    }

    /// A symbolic link's target as stored (`/dev/vfio/5`, `../0000:01:10.0`).
    public func linkTarget(_ path: String) -> String? {
        var buffer = [CChar](repeating: 0, count: 4096)
        let n = readlink(resolve(path), &buffer, buffer.count - 1)
        guard n > 0 else { return nil }
        return String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The last component of a symbolic link's target (`driver` -> `.../drivers/igb` gives `igb`).
    public func linkTargetName(_ path: String) -> String? {
        var buffer = [CChar](repeating: 0, count: 4096)
        let n = readlink(resolve(path), &buffer, buffer.count - 1)
        guard n > 0 else { return nil }
        let target = String(decoding: buffer[0..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return target.split(separator: "/").last.map(String.init)
    }

    /// Entry names of a directory, sorted; empty when it does not exist.
    public func list(_ path: String) -> [String] {
        guard let dir = opendir(resolve(path)) else { return [] }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    /// Writes `text` to an existing file the way `echo text > path` does (one write(2), no
    /// truncation games), which is what sysfs attributes expect. Throws with the errno.
    public func write(_ text: String, to path: String) throws(SysfsWriteError) {
        let fd = open(resolve(path), O_WRONLY | O_CLOEXEC)
        guard fd >= 0 else { throw SysfsWriteError(path: path, value: text, errno: errno) }
        defer { close(fd) }
        let bytes = Array(text.utf8)
        var result: Int
        repeat {
            result = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
        } while result < 0 && errno == EINTR
        guard result == bytes.count else { throw SysfsWriteError(path: path, value: text, errno: result < 0 ? errno : EIO) }
    }

    public func exists(_ path: String) -> Bool {
        access(resolve(path), F_OK) == 0
    }
}


/// A sysfs write the kernel refused: the path, what was written and the errno.
public struct SysfsWriteError: Error, Equatable, Sendable, CustomStringConvertible {
    public let path: String
    public let value: String
    public let errno: Int32

    public var description: String {
        "writing \(value.trimmingSpaces()) to \(path) failed: \(String(cString: strerror(errno))) (errno \(errno))"
    }
}
