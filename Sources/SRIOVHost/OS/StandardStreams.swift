#if canImport(Glibc)
    import Glibc
#endif

/// This process's standard output and error, written unbuffered, and its exit.
public enum StandardStreams {
    public enum Stream: Int32, Sendable {
        case output = 1
        case error = 2
    }

    /// Writes `text` whole to `stream` at once (a script waiting for a line must not wait for a
    /// buffer); earlier buffered output (`print`) is flushed first so lines keep their order.
    public static func write(_ text: String, to stream: Stream) {
        fflush(nil)
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Glibc.write(stream.rawValue, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { return }
            offset += n
        }
    }

    /// Flushes what `print` buffered and ends the process with `status`.
    public static func exit(_ status: Int32) -> Never {
        fflush(nil)
        Glibc.exit(status)
    }
}
