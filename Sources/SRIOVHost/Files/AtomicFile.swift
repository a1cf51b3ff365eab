#if canImport(Glibc)
import Glibc
#endif

/// Replaces files so that a crash leaves either the old or the new content, never half of one:
/// a temporary file beside the target, fsync, rename over it, fsync the folder.
public enum AtomicFile {
    /// Writes `text` to `path` (a path on this machine). With `backup`, an existing file with
    /// other content is first copied to `path.sriovctl-backup`.
    public static func write(_ text: String, to path: String, mode: mode_t = 0o644, backup: Bool = false) throws(SysfsWriteError) {
        let fs = RootedFileSystem()
        let dir = String(path[..<(path.lastIndex(of: "/") ?? path.startIndex)])
        if backup, let old = fs.readBytes(path), old != Array(text.utf8) {
            try writeThrough(old, to: path + ".sriovctl-backup", mode: mode)
        }
        let temporary = "\(path).sriovctl-\(getpid())"
        try writeThrough(Array(text.utf8), to: temporary, mode: mode)
        guard rename(temporary, path) == 0 else {
            let e = errno
            unlink(temporary)
            throw SysfsWriteError(path: path, value: "(rename)", errno: e)
        }
        let dfd = open(dir.isEmpty ? "/" : dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if dfd >= 0 { fsync(dfd); close(dfd) }
    }

    /// Creates folders as `mkdir -p` does.
    public static func makeDirectories(_ path: String) {
        var current = ""
        for part in path.split(separator: "/") {
            current += "/\(part)"
            mkdir(current, 0o755)
        }
    }

    private static func writeThrough(_ bytes: [UInt8], to path: String, mode: mode_t) throws(SysfsWriteError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
        guard fd >= 0 else { throw SysfsWriteError(path: path, value: "(create)", errno: errno) }
        defer { close(fd) }
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { throw SysfsWriteError(path: path, value: "(write)", errno: errno) }
            offset += n
        }
        fchmod(fd, mode)
        guard fsync(fd) == 0 else { throw SysfsWriteError(path: path, value: "(fsync)", errno: errno) }
    }
}
