import SRIOVEngine

/// The values of the global options (GlobalOptions), as ArgumentParser and the quick path
/// (QuickInvocation) both read them: one rule for which host they name.
struct HostArguments: Equatable {
    var config: String?
    var root = "/"
    var simulate: String?
    var simulateState: String?

    /// Why these options name no single host, if they do not.
    var conflict: String? {
        simulate != nil && root != "/" ? "--simulate and --root name two different hosts; give one of them." : nil
    }

    /// Sets the option `name` (as typed: `--root`) to `value`; false for a name that is not a global option.
    mutating func set(_ name: String, to value: String) -> Bool {
        switch name {
        case "--config": config = value
        case "--root": root = value
        case "--simulate": simulate = value
        case "--simulate-state": simulateState = value
        default: return false
        }
        return true
    }

    /// The host and config these options name.
    var selection: HostSelection {
        var environment: [String: String] = [:]
        if let tmp = ThisProcess.environment("TMPDIR") { environment["TMPDIR"] = tmp }
        return HostSelection(root: root, simulate: simulate, simulateState: simulateState, config: config, environment: environment)
    }
}
