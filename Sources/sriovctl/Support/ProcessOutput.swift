import SRIOVEngine

/// Writes a line to standard error, unbuffered (it must not be lost on exit).
func printError(_ message: String) { ThisProcess.printError(message) }

/// Flushes standard output and ends the process with `status`.
func terminate(_ status: Int32) -> Never { ThisProcess.exit(status) }

/// Writes a line to standard output at once (a script waiting for it must not wait for a buffer).
func printNow(_ message: String) { ThisProcess.printNow(message) }
