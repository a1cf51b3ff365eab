import SRIOVCore
import SRIOVHost

/// What the command line asks of its own process: the environment, unbuffered lines on standard
/// output and error (made terminal-safe), and its exit. The CLI reaches the OS only through here.
public enum ThisProcess {
    /// The environment variable `name`; nil when unset.
    public static func environment(_ name: String) -> String? { ProcessFacts.environment(name) }

    /// Whether the environment variable `name` is set to anything but the empty string.
    public static func isSet(_ name: String) -> Bool { !(environment(name) ?? "").isEmpty }

    /// One line on standard error, written at once (it must not be lost on exit).
    public static func printError(_ message: String) {
        StandardStreams.write(message.terminalSafe + "\n", to: .error)
    }

    /// One line on standard output, written at once (a script waiting for it must not wait for a buffer).
    public static func printNow(_ message: String) {
        StandardStreams.write(message.terminalSafe + "\n", to: .output)
    }

    /// Flushes standard output and ends the process with `status`.
    public static func exit(_ status: Int32) -> Never { StandardStreams.exit(status) }
}
