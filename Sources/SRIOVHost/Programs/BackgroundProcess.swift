#if canImport(Glibc)
    import Glibc
#endif

/// A program left running with its output going to files (a test's `serve`, a terminal server),
/// stopped with a signal. It inherits no descriptor of this process but its standard ones: a
/// long-lived child holding another command's pipe would keep that command's reader waiting.
public final class BackgroundProcess {
    public let pid: pid_t
    private var status: Int32?

    public init(_ argv: [String], output: String, errors: String, environment: [String: String]? = nil) throws {
        // posix_spawn has no portable "close every other descriptor": mark them close-on-exec.
        for name in RootedFileSystem().list("/proc/self/fd") {
            if let fd = Int32(name), fd > 2 { _ = fcntl(fd, F_SETFD, fcntl(fd, F_GETFD) | FD_CLOEXEC) }
        }
        pid = try Spawn.start(argv, output: .file(output), errors: .file(errors), environment: environment)
    }

    /// Sends `signal` and waits; the exit status, or 128 + the signal that ended it.
    @discardableResult
    public func stop(_ signal: Int32 = SIGTERM) -> Int32 {
        if let status { return status }
        kill(pid, signal)
        let code = Spawn.wait(pid)
        status = code
        return code
    }

    /// Whether it is still running (it is reaped when it has ended).
    public var isRunning: Bool {
        if status != nil { return false }
        var raw: Int32 = 0
        let reaped = waitpid(pid, &raw, WNOHANG)
        guard reaped == pid else { return true }
        status = Spawn.exitCode(raw)
        return false
    }

    deinit { if status == nil { stop(SIGKILL) } }
}
