#if canImport(Glibc)
    import Glibc
#endif

/// One apply at a time: an exclusive flock(2) on a file under /run. The lock goes with the
/// process, so a crashed apply never leaves it stuck.
public final class ApplyLock {
    private let fd: Int32
    public let path: String

    /// Takes the lock; when another apply holds it, calls `waiting` once (with the holder's pid
    /// when known) and then waits for it.
    public init(path: String, waiting: (String?) -> Void) throws {
        self.path = path
        let dir = String(path[..<(path.lastIndex(of: "/") ?? path.endIndex)])
        if !dir.isEmpty { mkdir(dir, 0o755) }
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw SysfsWriteError(path: path, value: "(lock)", errno: errno) }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            var buffer = [UInt8](repeating: 0, count: 32)
            let n = pread(fd, &buffer, buffer.count, 0)
            let holder = n > 0 ? String(decoding: buffer[0..<n], as: UTF8.self).trimmingSpaces() : nil
            waiting(holder)
            while flock(fd, LOCK_EX) != 0 && errno == EINTR {}
        }
        ftruncate(fd, 0)
        let pid = Array("\(getpid())\n".utf8)
        _ = pwrite(fd, pid, pid.count, 0)
        self.fd = fd
    }

    deinit {
        ftruncate(fd, 0)
        flock(fd, LOCK_UN)
        close(fd)
    }
}
