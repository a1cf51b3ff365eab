#if canImport(Glibc)
    import Glibc
#endif

/// Seconds on CLOCK_MONOTONIC: intervals that a clock change cannot bend.
public func monotonicSeconds() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_MONOTONIC, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
}

/// Seconds since 1970, from the system clock.
@Sendable public func wallClock() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_REALTIME, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
}

/// Waits `seconds` (at most an hour), on this process's thread.
public func pause(seconds: Double) {
    guard seconds > 0 else { return }
    let bounded = min(seconds, 3_600)
    var request = timespec(tv_sec: Int(bounded), tv_nsec: Int((bounded - bounded.rounded(.down)) * 1e9))
    var remaining = timespec()
    while nanosleep(&request, &remaining) != 0 && errno == EINTR { request = remaining }
}
