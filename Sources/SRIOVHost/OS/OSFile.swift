import Netlink
import SystemPackage

#if canImport(Glibc)
    import Glibc
#endif

/// Whole-file reads and one-write attribute stores, through swift-system: each call retries EINTR
/// (swift-system's `retryOnInterrupt`), every result is checked, and failures are `Errno` values
/// with names. The few calls made elsewhere (the apply lock's flock, waitpid, the terminal's poll)
/// retry EINTR where they are made.
enum OSFile {
    /// The content of a file (open(2), fstat(2), read(2)), at most `limit` bytes: a larger one is
    /// `Errno.fileTooLarge`. FIFOs, sockets and devices are refused (`Errno.invalidArgument`)
    /// before a read could block or run without end; regular files, including sysfs and procfs
    /// attributes, are read.
    static func read(_ path: String, limit: Int) throws(Errno) -> [UInt8] {
        let fd = try call { try FileDescriptor.open(FilePath(path), .readOnly, options: [.closeOnExec, .nonBlocking]) }
        defer { try? fd.close() }
        var info = stat()
        guard fstat(fd.rawValue, &info) == 0 else { throw Errno(rawValue: errno) }
        guard (info.st_mode & S_IFMT) == S_IFREG else { throw info.st_mode & S_IFMT == S_IFDIR ? .isDirectory : .invalidArgument }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = try call { try chunk.withUnsafeMutableBytes { try fd.read(into: $0) } }
            if n == 0 { return bytes }
            guard bytes.count + n <= limit else { throw .fileTooLarge }
            bytes.append(contentsOf: chunk[0..<n])
        }
    }

    /// One write(2) of `bytes` to an existing file, as `echo value > attribute` does: sysfs takes
    /// an attribute's value in one write, and a short write is an error. Opened without blocking
    /// and written only when it is a regular file (sysfs attributes are): a FIFO put at
    /// `sriov_numvfs` in a host tree would otherwise hang the command (`Errno.invalidArgument`).
    static func writeOnce(_ bytes: [UInt8], to path: String) throws(Errno) {
        let fd = try call { try FileDescriptor.open(FilePath(path), .writeOnly, options: [.closeOnExec, .nonBlocking]) }
        defer { try? fd.close() }
        var info = stat()
        guard fstat(fd.rawValue, &info) == 0 else { throw Errno(rawValue: errno) }
        guard (info.st_mode & S_IFMT) == S_IFREG else { throw .invalidArgument }
        let written = try call { try bytes.withUnsafeBytes { try fd.write($0) } }
        guard written == bytes.count else { throw .ioError }
    }

    /// Runs a swift-system call, keeping its `Errno` typed.
    static func call<T>(_ body: () throws -> T) throws(Errno) -> T {
        do { return try body() } catch let error as Errno { throw error } catch { throw .ioError }
    }
}

extension Errno {
    /// `EBUSY (Device or resource busy)`: the name a person can search for, then the C library's words.
    public var named: String { "\(errnoName(rawValue)) (\(description))" }
}
