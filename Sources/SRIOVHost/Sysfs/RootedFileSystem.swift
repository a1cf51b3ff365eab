import SRIOVCore
import Synchronization
import SystemPackage

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// Reads and writes files below a root (`/` on a real host, a fixture tree in tests, `--root`).
/// Paths are always absolute host paths such as `/sys/bus/pci/devices`; the root is prefixed here
/// and nowhere else. Under a root other than `/`, every symbolic link on the way is resolved
/// inside the tree: a link that leads outside it is never followed (reads find nothing, writes
/// throw) and is kept in `escapes`, so the command can name it.
public struct RootedFileSystem: Sendable {
    public let root: String
    /// Links met so far that lead outside the root.
    public let escapes: RootEscapes

    public init(root: String = "/") {
        var r = root
        while r.count > 1 && r.hasSuffix("/") { r.removeLast() }
        self.root = r
        escapes = RootEscapes()
    }

    public var isRooted: Bool { root != "/" }

    /// The path on this machine for a host path, without resolving links (for messages and for
    /// paths handed to other code that confines itself).
    public func resolve(_ path: String) -> String {
        root == "/" ? path : root + path
    }

    /// The path on this machine for a host path with every link resolved inside the root; nil
    /// (and the link kept in `escapes`) when one leads outside it. With `followLast: false` the
    /// last component is not followed (to read a link itself).
    public func confined(_ path: String, followLast: Bool = true) -> String? {
        machinePath(path, in: nil, followLast: followLast)
    }

    /// As `confined`, throwing the escape.
    public func confining(_ path: String, followLast: Bool = true) throws(RootEscape) -> String {
        guard isRooted else { return path }
        return try resolving(path, from: [], followLast: followLast, naming: path).machinePath
    }

    /// A folder of the tree whose path is resolved once, so that several files in it are read
    /// without resolving (one readlink per component) the folder's path again for each:
    /// `fs.readText("sriov_numvfs", in: fs.folder("/sys/bus/pci/devices/0000:01:00.0"))`.
    public struct Folder: Sendable {
        /// The folder as a host path.
        public let path: String
        /// Its components below the root, every link on the way resolved inside it; nil when the
        /// path leads outside the root (then nothing in it is read).
        fileprivate let resolved: [Substring]?
    }

    /// `path` (a host path, or with `folder` a path in that folder) as a Folder; one that leads
    /// outside the root is kept in `escapes`, and reads in it find nothing.
    public func folder(_ path: String, in folder: Folder? = nil) -> Folder {
        let named = folder.map { $0.path + "/" + path } ?? path
        guard isRooted else { return Folder(path: named, resolved: []) }
        return Folder(path: named, resolved: resolved(path, in: folder, followLast: true)?.components)
    }

    /// The path on this machine of `path`, a host path, or with `folder` a path in that folder;
    /// nil (and the link kept in `escapes`) when a link on the way leads outside the root.
    func machinePath(_ path: String, in folder: Folder?, followLast: Bool = true) -> String? {
        guard isRooted else { return folder.map { $0.path + "/" + path } ?? path }
        return resolved(path, in: folder, followLast: followLast)?.machinePath
    }

    /// `resolving` from the folder (or the root), keeping an escape in `escapes`.
    private func resolved(_ path: String, in folder: Folder?, followLast: Bool) -> (components: [Substring], machinePath: String)? {
        guard let start = folder.map(\.resolved) ?? [] else { return nil }
        do { return try resolving(path, from: start, followLast: followLast, naming: folder.map { $0.path + "/" + path } ?? path) } catch {
            escapes.add(error)
            return nil
        }
    }

    /// Follows `path` component by component from `start` (resolved components below the root),
    /// each link inside the root; throws when one leads outside it (absolute, `..` above the
    /// top) or links loop. `naming` is the path messages give (built only for one).
    private func resolving(_ path: String, from start: [Substring], followLast: Bool, naming: @autoclosure () -> String)
        throws(RootEscape) -> (components: [Substring], machinePath: String)
    {
        var resolved = start
        // The path so far on this machine (root + "/" + resolved joined), grown one component at a
        // time: a long sysfs path costs one readlink per component, not a rebuild of the path.
        var current = resolved.isEmpty ? root : root + "/" + resolved.joined(separator: "/")
        var pending = Self.components(path).reversed() as [Substring]
        var hops = 0
        while let component = pending.popLast() {
            if component == "." { continue }
            if component == ".." {
                guard !resolved.isEmpty else { throw RootEscape(root: root, link: naming(), target: "..") }
                resolved.removeLast()
                current = resolved.isEmpty ? root : root + "/" + resolved.joined(separator: "/")
                continue
            }
            var candidate = current
            candidate.append("/")
            candidate.append(contentsOf: component)
            if followLast || !pending.isEmpty, let target = Self.readLink(candidate) {
                hops += 1
                let here = String(candidate.dropFirst(root.count))
                guard hops <= 40 else { throw RootEscape(root: root, link: here, target: "(a loop of links)") }
                guard !target.hasPrefix("/") else { throw RootEscape(root: root, link: here, target: target) }
                pending.append(contentsOf: Self.components(target).reversed())
                continue
            }
            resolved.append(component)
            current = candidate
        }
        return (resolved, resolved.isEmpty ? root + "/" : current)
    }

    /// A path's components, split on its bytes (a path is bytes to the kernel, and splitting by
    /// Character costs more than the readlink of each component).
    private static func components(_ path: String) -> [Substring] {
        path.utf8.split(separator: UInt8(ascii: "/")).map { Substring($0) }
    }

    /// `/run/sriovctl` on this machine, resolved inside the root. A link out of the tree there is
    /// recorded as an escape (commands stop on it), and the path returned then names no file and
    /// goes through no link, so nothing is read or written outside the tree.
    public var runFolder: String { confined("/run/sriovctl") ?? root + "/(run/sriovctl leads outside --root)" }

    /// A small text file's content without the trailing newline; nil when absent or unreadable.
    /// `path` is a host path, or with `folder` a path in that folder (so for the reads below).
    public func readText(_ path: String, in folder: Folder? = nil) -> String? {
        guard let bytes = readBytes(path, in: folder) else { return nil }
        var text = String(decoding: bytes, as: UTF8.self)
        while text.hasSuffix("\n") { text.removeLast() }
        return text
    }

    /// The whole file as bytes, at most `limit` of them; nil when absent, not a regular file or a
    /// kernel attribute, or larger than `limit`.
    public func readBytes(_ path: String, in folder: Folder? = nil, limit: Int = 16 << 20) -> [UInt8]? {
        guard let real = machinePath(path, in: folder) else { return nil }
        return try? OSFile.read(real, limit: limit)
    }

    public func readInt(_ path: String, in folder: Folder? = nil) -> Int? {
        readText(path, in: folder).flatMap { Int($0.trimmingSpaces()) }
    }

    /// A symbolic link's target as stored (`/dev/vfio/5`, `../0000:01:10.0`).
    public func linkTarget(_ path: String, in folder: Folder? = nil) -> String? {
        machinePath(path, in: folder, followLast: false).flatMap(Self.readLink)
    }

    /// The last component of a symbolic link's target (`driver` -> `.../drivers/igb` gives `igb`).
    public func linkTargetName(_ path: String, in folder: Folder? = nil) -> String? {
        linkTarget(path, in: folder)?.split(separator: "/").last.map(String.init)
    }

    /// Entry names of a directory, sorted; empty when it does not exist.
    public func list(_ path: String, in folder: Folder? = nil) -> [String] {
        guard let real = machinePath(path, in: folder), let dir = opendir(real) else { return [] }
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
        let real: String
        do { real = try confining(path) } catch { throw SysfsWriteError(path: path, value: text, errno: ELOOP, escape: error) }
        do { try OSFile.writeOnce(Array(text.utf8), to: real) } catch { throw SysfsWriteError(path: path, value: text, errno: error.rawValue) }
    }

    /// Replaces a whole file atomically (see `AtomicFile`), creating its folders.
    public func replace(_ path: String, with text: String, mode: UInt32 = 0o644) throws(SysfsWriteError) {
        let real: String
        do { real = try confining(path) } catch { throw SysfsWriteError(path: path, value: "(write)", errno: ELOOP, escape: error) }
        AtomicFile.makeDirectories(String(real[..<(real.lastIndex(of: "/") ?? real.startIndex)]))
        do { try AtomicFile.write(text, to: real, mode: mode_t(mode)) } catch {
            throw SysfsWriteError(path: path, value: error.value, errno: error.errno)
        }
    }

    /// Removes a file; a file that is not there is fine.
    public func remove(_ path: String) throws(SysfsWriteError) {
        let real: String
        do { real = try confining(path, followLast: false) } catch {
            throw SysfsWriteError(path: path, value: "(remove)", errno: ELOOP, escape: error)
        }
        guard unlink(real) == 0 || errno == ENOENT else { throw SysfsWriteError(path: path, value: "(remove)", errno: errno) }
    }

    /// Removes a folder when it is empty (rmdir); otherwise leaves it.
    public func removeFolderIfEmpty(_ path: String) {
        guard let real = try? confining(path, followLast: false) else { return }
        _ = rmdir(real)
    }

    public func exists(_ path: String) -> Bool {
        guard let real = confined(path) else { return false }
        return access(real, F_OK) == 0
    }

    private static func readLink(_ machinePath: String) -> String? {
        withUnsafeTemporaryAllocation(of: CChar.self, capacity: 4096) { buffer in
            let n = readlink(machinePath, buffer.baseAddress!, buffer.count - 1)
            guard n > 0 else { return nil }
            return String(decoding: UnsafeRawBufferPointer(start: buffer.baseAddress, count: n), as: UTF8.self)
        }
    }
}

/// A link inside a `--root` tree that leads outside it.
public struct RootEscape: Error, Hashable, Sendable, CustomStringConvertible {
    public var root: String
    /// The link, as a path inside the tree.
    public var link: String
    public var target: String

    public var description: String {
        "--root \(root): \(link) leads outside the tree (to \(target)); sriovctl reads and writes nothing outside --root. "
            + "Replace the link with the file, or with a relative link inside the tree"
    }
}

/// The escapes one rooted file system met, for the command to report.
public final class RootEscapes: Sendable {
    private let found = Mutex<[RootEscape]>([])

    public init() {}

    func add(_ escape: RootEscape) { found.withLock { if !$0.contains(escape) { $0.append(escape) } } }

    public var all: [RootEscape] { found.withLock { $0 } }

    /// Throws the first escape met, if any.
    public func check() throws(RootEscape) {
        if let first = all.first { throw first }
    }
}

/// A sysfs write the kernel refused: the path, what was written and the errno.
public struct SysfsWriteError: Error, Equatable, Sendable, CustomStringConvertible {
    public let path: String
    public let value: String
    public let errno: Int32
    /// Set when the path led outside `--root`.
    public var escape: RootEscape?

    public init(path: String, value: String, errno: Int32, escape: RootEscape? = nil) {
        self.path = path
        self.value = value
        self.errno = errno
        self.escape = escape
    }

    public var description: String {
        if let escape { return escape.description }
        return "writing \(value.trimmingSpaces()) to \(path) failed: \(Errno(rawValue: errno).named)"
    }
}
