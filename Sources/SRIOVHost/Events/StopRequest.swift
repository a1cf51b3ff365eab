#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

nonisolated(unsafe) private var stopAsked: sig_atomic_t = 0

private func askStop(_: Int32) { stopAsked = 1 }

/// SIGTERM and SIGINT as a request to stop cleanly (what systemd sends a service): long-running
/// loops check it and return, so the process exits 0.
public enum StopRequest {
    public static func install() {
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
