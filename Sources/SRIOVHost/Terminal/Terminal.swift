#if canImport(Glibc)
    import Glibc
#endif

/// The controlling terminal for a full-screen view (`sriovctl top`): raw keys, the alternate
/// screen, its size, and the signals that matter (resize, interrupt, hang-up), all turned into
/// events read in one place. `restore()` puts the terminal back exactly as it was.
public final class Terminal: @unchecked Sendable {
    public enum Event: Equatable, Sendable {
        case key(UInt8)
        case resized
        /// SIGINT, SIGTERM or SIGHUP: leave.
        case interrupted
        case timeout
    }

    private var saved = termios()
    private var active = false
    private let signalPipe: (read: Int32, write: Int32)

    /// Nil when standard input or output is not a terminal (a pipe, a file, cron).
    public init?() {
        guard isatty(0) == 1, isatty(1) == 1 else { return nil }
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else { return nil }
        for fd in fds {
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        }
        signalPipe = (fds[0], fds[1])
    }

    deinit {
        restore()
        close(signalPipe.read)
        close(signalPipe.write)
    }

    /// Raw keys without echo, the alternate screen, no cursor; signals become events.
    public func enter() {
        guard !active, tcgetattr(0, &saved) == 0 else { return }
        var raw = saved
        raw.c_lflag &= ~tcflag_t(ICANON | ECHO)
        // Ctrl-Z would stop top with the terminal still raw: turn the suspend key off.
        withUnsafeMutableBytes(of: &raw.c_cc) { cc in
            cc[Int(VSUSP)] = 0
            cc[Int(VMIN)] = 1
            cc[Int(VTIME)] = 0
        }
        tcsetattr(0, TCSAFLUSH, &raw)
        terminalSignalPipe = signalPipe.write
        for sig in [SIGWINCH, SIGINT, SIGTERM, SIGHUP] { signal(sig, terminalSignalHandler) }
        active = true
        write("\u{1B}[?1049h\u{1B}[?25l\u{1B}[H\u{1B}[2J")
    }

    /// Leaves the alternate screen, shows the cursor and restores the saved terminal settings.
    public func restore() {
        guard active else { return }
        active = false
        write("\u{1B}[0m\u{1B}[?25h\u{1B}[?1049l")
        tcsetattr(0, TCSAFLUSH, &saved)
        for sig in [SIGWINCH, SIGINT, SIGTERM, SIGHUP] { signal(sig, SIG_DFL) }
        terminalSignalPipe = -1
    }

    /// Columns and rows (80x24 when the terminal does not say).
    public func size() -> (columns: Int, rows: Int) {
        var w = winsize()
        guard ioctl(1, UInt(TIOCGWINSZ), &w) == 0, w.ws_col > 0, w.ws_row > 0 else { return (80, 24) }
        return (Int(w.ws_col), Int(w.ws_row))
    }

    /// Draws whole lines from the top left, clearing what was there.
    public func draw(_ lines: [String]) {
        var out = "\u{1B}[H"
        for (i, line) in lines.enumerated() {
            out += line + "\u{1B}[K"
            if i < lines.count - 1 { out += "\r\n" }
        }
        write(out + "\u{1B}[J")
    }

    /// Waits for a key, a signal or the timeout, whichever comes first.
    public func next(timeout seconds: Double) -> Event {
        var fds = [
            pollfd(fd: signalPipe.read, events: Int16(POLLIN), revents: 0),
            pollfd(fd: 0, events: Int16(POLLIN), revents: 0),
        ]
        let ms = Int32(max(0, min(seconds, 3600)) * 1000)
        let n = poll(&fds, 2, ms)
        if n == 0 { return .timeout }
        if n < 0 { return errno == EINTR ? next(timeout: 0) : .interrupted }
        if fds[0].revents & Int16(POLLIN) != 0 {
            var signalNumber: UInt8 = 0
            var last: Int32 = 0
            while read(signalPipe.read, &signalNumber, 1) == 1 { last = Int32(signalNumber) }
            return last == SIGWINCH ? .resized : .interrupted
        }
        if fds[1].revents & Int16(POLLIN) != 0 {
            var key: UInt8 = 0
            return read(0, &key, 1) == 1 ? .key(key) : .interrupted
        }
        // The terminal went away (POLLHUP): leave.
        return .interrupted
    }

    private func write(_ text: String) {
        var bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeMutableBytes { Glibc.write(1, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return }
            offset += n
        }
    }
}

/// The write end of the active terminal's signal pipe; -1 when none. Set only while one terminal
/// is active, read by the signal handler.
nonisolated(unsafe) private var terminalSignalPipe: Int32 = -1

private let terminalSignalHandler: @convention(c) (Int32) -> Void = { sig in
    var byte = UInt8(truncatingIfNeeded: sig)
    let saved = errno
    if terminalSignalPipe >= 0 { _ = Glibc.write(terminalSignalPipe, &byte, 1) }
    errno = saved
}
