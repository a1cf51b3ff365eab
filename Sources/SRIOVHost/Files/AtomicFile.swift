import SystemPackage

#if canImport(Glibc)
    import Glibc
#endif

/// Replaces files so that a crash leaves either the old or the new content, never half of one:
/// a new temporary file beside the target (O_EXCL, O_NOFOLLOW, an unpredictable name), fsync,
/// rename over it, fsync the folder. A file that exists keeps its mode and owner.
public enum AtomicFile {
    /// Writes `text` to `path` (a path on this machine), created with `mode` when it is new.
    public static func write(_ text: String, to path: String, mode: mode_t = 0o644) throws(SysfsWriteError) {
        try write(bytes: Array(text.utf8), to: path, mode: mode)
    }

    /// Writes `bytes` to `path` (a path on this machine), created with `mode` when it is new.
    public static func write(bytes: [UInt8], to path: String, mode: mode_t = 0o644) throws(SysfsWriteError) {
        let dir = String(path[..<(path.lastIndex(of: "/") ?? path.startIndex)])
        var keep = stat()
        let existing = lstat(path, &keep) == 0 && (keep.st_mode & S_IFMT) == S_IFREG
        var generator = SystemRandomNumberGenerator()
        let random = generator.next()
        let temporary = "\(path).sriovctl-\(String(random, radix: 36))"
        let fd: FileDescriptor
        do {
            fd = try OSFile.call {
                try FileDescriptor.open(
                    FilePath(temporary), .writeOnly, options: [.create, .exclusiveCreate, .noFollow, .closeOnExec],
                    permissions: FilePermissions(rawValue: existing ? keep.st_mode & 0o7777 : mode))
            }
        } catch {
            throw SysfsWriteError(path: path, value: "(create \(temporary))", errno: error.rawValue)
        }
        do {
            _ = try OSFile.call { try fd.writeAll(bytes) }
            if existing {
                guard fchown(fd.rawValue, keep.st_uid, keep.st_gid) == 0 || geteuid() != 0 else { throw Errno(rawValue: errno) }
                guard fchmod(fd.rawValue, keep.st_mode & 0o7777) == 0 else { throw Errno(rawValue: errno) }
            } else {
                guard fchmod(fd.rawValue, mode) == 0 else { throw Errno(rawValue: errno) }
            }
            guard fsync(fd.rawValue) == 0 else { throw Errno(rawValue: errno) }
            try? fd.close()
        } catch {
            try? fd.close()
            unlink(temporary)
            throw SysfsWriteError(path: path, value: "(write)", errno: (error as? Errno)?.rawValue ?? EIO)
        }
        guard rename(temporary, path) == 0 else {
            let e = errno
            unlink(temporary)
            throw SysfsWriteError(path: path, value: "(rename)", errno: e)
        }
        let dfd = open(dir.isEmpty ? "/" : dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if dfd >= 0 {
            fsync(dfd)
            close(dfd)
        }
    }

    /// Creates folders as `mkdir -p` does; a relative path stays relative to the working folder.
    public static func makeDirectories(_ path: String) {
        var current = path.hasPrefix("/") ? "" : "."
        for part in path.split(separator: "/") {
            current += "/\(part)"
            mkdir(current, 0o755)
        }
    }
}
