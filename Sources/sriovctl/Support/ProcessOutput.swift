#if canImport(Glibc)
    import Glibc
#endif

/// Writes a line to standard error, unbuffered (it must not be lost on exit).
func printError(_ message: String) {
    let line = Array((message.terminalSafe + "\n").utf8)
    line.withUnsafeBytes { _ = write(2, $0.baseAddress, $0.count) }
}

/// Flushes standard output and ends the process with `status`.
func terminate(_ status: Int32) -> Never {
    fflush(nil)
    Glibc.exit(status)
}

/// Writes a line to standard output at once (a script waiting for it must not wait for a buffer).
func printNow(_ message: String) {
    fflush(nil)
    let line = Array((message.terminalSafe + "\n").utf8)
    line.withUnsafeBytes { _ = write(1, $0.baseAddress, $0.count) }
}
