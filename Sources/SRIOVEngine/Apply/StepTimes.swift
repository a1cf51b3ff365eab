import SRIOVHost

/// `SRIOVCTL_STEP_TIMES=1` (for the benchmarks): each line apply logs ends with when it was
/// written, in milliseconds since the process started, so a slow step or a slow start shows.
struct StepTimes {
    /// Read from the environment once per process: apply asks at several steps.
    private static let isEnabled = ProcessFacts.environment("SRIOVCTL_STEP_TIMES") != nil
    var enabled: Bool { Self.isEnabled }

    func stamped(_ line: String) -> String {
        guard enabled, let seconds = ProcessFacts.secondsSinceStart() else { return line }
        return line + " [+\(Int((seconds * 1000).rounded())) ms]"
    }
}
