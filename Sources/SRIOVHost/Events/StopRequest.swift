#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

nonisolated(unsafe) private var stopAsked: sig_atomic_t = 0
/// The write end of the pipe a stop makes readable (-1 until `install`).
nonisolated(unsafe) private var stopPipeWrite: Int32 = -1

private func askStop(_: Int32) {
    stopAsked = 1
    // write(2) is async-signal-safe: a wait in poll on `descriptor` wakes at once.
    var byte: UInt8 = 1
    if stopPipeWrite >= 0 { _ = write(stopPipeWrite, &byte, 1) }
}

/// SIGTERM and SIGINT as a request to stop cleanly (what systemd sends a service): long-running
/// loops check it and return, so the process exits 0. A loop that sleeps in poll adds
/// `descriptor` to what it waits for instead of waking up to look.
public enum StopRequest {
    /// Readable once a stop was asked; -1 before `install`.
    public private(set) nonisolated(unsafe) static var descriptor: Int32 = -1

    public static func install() {
        if descriptor < 0 {
            var ends: [Int32] = [-1, -1]
            if pipe(&ends) == 0 {
                // Not inherited by programs sriovctl runs; a full pipe never blocks the handler.
                for end in ends {
                    _ = fcntl(end, F_SETFD, FD_CLOEXEC)
                    _ = fcntl(end, F_SETFL, fcntl(end, F_GETFL) | O_NONBLOCK)
                }
                descriptor = ends[0]
                stopPipeWrite = ends[1]
            }
        }
        signal(SIGTERM, askStop)
        signal(SIGINT, askStop)
        // A mask inherited from whoever started us (a test runner's thread) must not hold them.
        var wanted = sigset_t()
        sigemptyset(&wanted)
        sigaddset(&wanted, SIGTERM)
        sigaddset(&wanted, SIGINT)
        pthread_sigmask(SIG_UNBLOCK, &wanted, nil)
    }

    public static var isRequested: Bool { stopAsked != 0 }
}
