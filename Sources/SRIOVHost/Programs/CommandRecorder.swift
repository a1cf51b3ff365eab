import SRIOVCore
import Synchronization

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

#if canImport(Glibc)
    import Glibc
#endif

/// Where programs go under `--root DIR`: none runs. Each is appended to
/// `DIR/run/sriovctl/commands.log`, one JSON array of argv per line, and kept for the command to
/// report as `would run: ...`.
public final class CommandRecorder: Sendable {
    public static let logPath = "/run/sriovctl/commands.log"
    let fs: RootedFileSystem
    private let pending = Mutex<[[String]]>([])

    public init(fs: RootedFileSystem) { self.fs = fs }

    public func record(_ argv: [String]) throws(SysfsWriteError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        let line = ((try? encoder.encode(argv)).map { String(decoding: $0, as: UTF8.self) } ?? "[]") + "\n"
        let dir = fs.confined("/run/sriovctl") ?? fs.resolve("/run/sriovctl")
        AtomicFile.makeDirectories(dir)
        let path: String
        do { path = try fs.confining(Self.logPath) } catch { throw SysfsWriteError(path: Self.logPath, value: line, errno: ELOOP, escape: error) }
        // Without blocking (a FIFO there would hang), only to a regular file with one name (a
        // hard link would carry the write out of the tree), never truncated.
        let fd = open(path, O_RDWR | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK, 0o644)
        guard fd >= 0 else { throw SysfsWriteError(path: Self.logPath, value: line, errno: errno) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, info.st_nlink == 1 else {
            throw SysfsWriteError(path: Self.logPath, value: line, errno: EINVAL)
        }
        // A last line left without its newline must not swallow this one.
        var last: UInt8 = 0x0A
        if info.st_size > 0, pread(fd, &last, 1, off_t(info.st_size - 1)) != 1 { last = 0x0A }
        let bytes = Array(((last == 0x0A ? "" : "\n") + line).utf8)
        var n: Int
        repeat { n = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) } } while n < 0 && errno == EINTR
        guard n == bytes.count else { throw SysfsWriteError(path: Self.logPath, value: line, errno: n < 0 ? errno : EIO) }
        pending.withLock { $0.append(argv) }
    }

    /// The programs recorded since the last call.
    public func take() -> [[String]] {
        pending.withLock { list in
            defer { list = [] }
            return list
        }
    }
}
