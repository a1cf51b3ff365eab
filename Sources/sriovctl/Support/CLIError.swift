import SRIOVEngine

/// Exit codes (docs/reference.md).
enum ExitStatus: Int32 {
    case success = 0
    /// The host refused or failed: kernel error, busy device, command failed.
    case hostFailed = 1
    /// Invalid input (usage, config file); nothing was changed.
    case invalidInput = 2
    /// `plan --detailed-exitcode` only: changes are pending.
    case changesPending = 3
}

/// Sorts an error into a message and an exit status; nil for ArgumentParser's own.
enum CLIError {
    static func classify(_ error: any Error) -> (message: String, status: ExitStatus)? {
        EngineError.classify(error).map { ($0.message, $0.invalidInput ? .invalidInput : .hostFailed) }
    }
}
