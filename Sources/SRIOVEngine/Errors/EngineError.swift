import SRIOVCore
import SRIOVHost

/// A use case's failure, sorted the way the exit codes are: bad input (nothing changed) or a
/// host that refused or failed.
public enum EngineError: Error, Equatable, CustomStringConvertible {
    /// Invalid input (arguments, config, a missing device); nothing was changed.
    case invalidInput(String)
    /// The host refused or failed: a kernel error, a busy device, a program that failed.
    case hostFailed(String)

    public var description: String {
        switch self {
        case let .invalidInput(m), let .hostFailed(m): m
        }
    }

    /// Any error a use case can throw, as a message and whether it was the input's fault; nil for
    /// errors that are not sriovctl's (argument parsing).
    public static func classify(_ error: any Error) -> (message: String, invalidInput: Bool)? {
        switch error {
        case let e as EngineError:
            if case .invalidInput = e { return (e.description, true) }
            return (e.description, false)
        case let e as UnknownPFError: return (e.description, true)
        case let e as ConfigError: return (e.description, true)
        case let e as RootEscape: return (e.description, true)
        case let e as StepFailure: return (e.description, false)
        case let e as SysfsWriteError: return (e.description, e.escape != nil ? true : false)
        case let e as HostChangeFailure: return (e.description, false)
        case let e as HostError:
            switch e {
            case .unreadable, .noSuchDevice: return (e.description, true)
            default: return (e.description, false)
            }
        default: return KernelErrorText.classify(error)
        }
    }
}
