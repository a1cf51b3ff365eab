#if canImport(Glibc)
    import Glibc
#endif

/// What a command printed and how it ended.
public struct CommandResult: Equatable, Sendable {
    public var status: Int32
    public var output: String
    public var errorOutput: String

    public init(status: Int32, output: String = "", errorOutput: String = "") {
        self.status = status
        self.output = output
        self.errorOutput = errorOutput
    }
}

/// Runs external commands. Always an argv array, never a shell string.
public protocol CommandRunning: Sendable {
    func run(_ argv: [String]) throws -> CommandResult
}

/// A command that could not be started at all.
public struct CommandNotRunnable: Error, Equatable, Sendable, CustomStringConvertible {
    public let argv: [String]
    public let errno: Int32

    public var description: String {
        "cannot run \(argv.first ?? "?"): \(String(cString: strerror(errno)))"
    }
}

/// posix_spawnp(3) with both outputs captured. The child's stdin is /dev/null. The one way
/// sriovctl (and its tests) start a program and wait for it.
public struct SystemCommandRunner: CommandRunning {
    /// The child's environment; nil: this process's.
    public var environment: [String: String]?

    public init(environment: [String: String]? = nil) { self.environment = environment }

    public func run(_ argv: [String]) throws -> CommandResult {
        var outPipe: [Int32] = [0, 0]
        var errPipe: [Int32] = [0, 0]
        guard pipe(&outPipe) == 0, pipe(&errPipe) == 0 else { throw CommandNotRunnable(argv: argv, errno: errno) }
        // Close-on-exec: no other command (spawned from another thread, or a daemon this one
        // starts) may keep a write end open, or the reads below would wait for it to end too.
        for fd in outPipe + errPipe { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        let spawned: pid_t
        do {
            spawned = try Spawn.start(
                argv, output: .descriptor(outPipe[1]), errors: .descriptor(errPipe[1]),
                closing: [outPipe[0], errPipe[0]], environment: environment)
        } catch {
            close(outPipe[1])
            close(errPipe[1])
            close(outPipe[0])
            close(errPipe[0])
            throw error
        }
        let pid = spawned
        close(outPipe[1])
        close(errPipe[1])
        // Read both pipes without deadlock: poll until both close.
        var out: [UInt8] = [], err: [UInt8] = []
        var fds = [pollfd(fd: outPipe[0], events: Int16(POLLIN), revents: 0), pollfd(fd: errPipe[0], events: Int16(POLLIN), revents: 0)]
        var open = 2
        var buffer = [UInt8](repeating: 0, count: 65536)
        while open > 0 {
            guard poll(&fds, 2, -1) >= 0 else { if errno == EINTR { continue } else { break } }
            for i in 0..<2 where fds[i].fd >= 0 && fds[i].revents != 0 {
                let n = read(fds[i].fd, &buffer, buffer.count)
                if n > 0 {
                    if i == 0 { out += buffer[0..<n] } else { err += buffer[0..<n] }
                } else if n == 0 || errno != EINTR {
                    close(fds[i].fd)
                    fds[i].fd = -1
                    open -= 1
                }
            }
        }
        let code = Spawn.wait(pid)
        return CommandResult(status: code, output: String(decoding: out, as: UTF8.self), errorOutput: String(decoding: err, as: UTF8.self))
    }
}

/// posix_spawnp(3) and waitpid(2), written once: for `SystemCommandRunner` and `BackgroundProcess`.
enum Spawn {
    enum Target {
        case descriptor(Int32)
        case file(String)
    }

    /// Starts `argv` (searched in PATH) with stdin from /dev/null; returns its pid.
    static func start(
        _ argv: [String], output: Target, errors: Target, closing: [Int32] = [],
        environment: [String: String]?
    ) throws(CommandNotRunnable) -> pid_t {
        guard !argv.isEmpty else { throw CommandNotRunnable(argv: argv, errno: EINVAL) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        for (fd, target) in [(Int32(1), output), (2, errors)] {
            switch target {
            case let .descriptor(source): posix_spawn_file_actions_adddup2(&actions, source, fd)
            case let .file(path): posix_spawn_file_actions_addopen(&actions, fd, path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
            }
        }
        for case let .descriptor(source) in [output, errors] { posix_spawn_file_actions_addclose(&actions, source) }
        for fd in closing { posix_spawn_file_actions_addclose(&actions, fd) }
        // A clean signal state, as a shell gives a program: no signal blocked (a blocked mask is
        // inherited through exec, and a test runner's or async runtime's thread blocks many: a
        // child would then ignore SIGTERM and SIGHUP), and the usual ones at their defaults.
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var none = sigset_t()
        sigemptyset(&none)
        posix_spawnattr_setsigmask(&attributes, &none)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGPIPE, SIGCHLD] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        var pid: pid_t = 0
        let cArgs = argv.map { strdup($0) } + [nil]
        defer { cArgs.forEach { free($0) } }
        let cEnvironment = environment.map { $0.map { strdup("\($0.key)=\($0.value)") } + [nil] }
        defer { cEnvironment?.forEach { free($0) } }
        let status =
            cEnvironment.map { env in env.withUnsafeBufferPointer { posix_spawnp(&pid, argv[0], &actions, &attributes, cArgs, $0.baseAddress) } }
            ?? posix_spawnp(&pid, argv[0], &actions, &attributes, cArgs, environ)
        guard status == 0 else { throw CommandNotRunnable(argv: argv, errno: status) }
        return pid
    }

    /// Waits for the child, retrying EINTR; its exit status, or 128 + the signal that ended it.
    static func wait(_ pid: pid_t) -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return exitCode(status)
    }

    /// A wait status as a shell says it: the exit status, or 128 + the signal that ended it.
    static func exitCode(_ status: Int32) -> Int32 {
        (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
    }
}
