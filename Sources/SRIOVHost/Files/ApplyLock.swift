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
        // A relative path with no folder (`--simulate-state NAME`) has no folder to make.
        if let slash = path.lastIndex(of: "/"), slash != path.startIndex { mkdir(String(path[..<slash]), 0o755) }
        // Never through a symbolic link, never blocking on a FIFO, and only a regular file with one
        // name: the lock is emptied, and a hard link would empty a file elsewhere.
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK, 0o644)
        guard fd >= 0 else { throw SysfsWriteError(path: path, value: "(lock)", errno: errno) }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG, info.st_nlink == 1 else {
            close(fd)
            throw SysfsWriteError(path: path, value: "(lock: not a plain file of its own)", errno: EINVAL)
        }
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
