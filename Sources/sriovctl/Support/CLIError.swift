import Netlink
import SRIOVCore
import SRIOVHost

/// Exit codes from SPEC.md.
enum ExitStatus: Int32 {
    case success = 0
    /// The host refused or failed: kernel error, busy device, command failed.
    case hostFailed = 1
    /// Invalid input (usage, config file); nothing was changed.
    case invalidInput = 2
    /// `plan --detailed-exitcode` only: changes are pending.
    case changesPending = 3
}

/// An error the CLI reports itself, with its exit status.
enum CLIError: Error, CustomStringConvertible {
    case invalidInput(String)
    case hostFailed(String)

    var description: String {
        switch self {
        case let .invalidInput(m), let .hostFailed(m): m
        }
    }

    /// Sorts sriovctl's own errors into a message and an exit status; nil for ArgumentParser's.
    static func classify(_ error: any Error) -> (message: String, status: ExitStatus)? {
        switch error {
        case let e as CLIError:
            switch e {
            case .invalidInput: return (e.description, .invalidInput)
            case .hostFailed: return (e.description, .hostFailed)
            }
        case let e as UnknownPFError:
            return (e.description, .invalidInput)
        case let e as ConfigError:
            return (e.description, .invalidInput)
        case let e as StepFailure:
            return (e.description, .hostFailed)
        case let e as SysfsWriteError:
            return (e.description, .hostFailed)
        case let e as HostError:
            switch e {
            case .unreadable, .noSuchDevice: return (e.description, .invalidInput)
            default: return (e.description, .hostFailed)
            }
        case let e as KernelError:
            return (e.description, .hostFailed)
        case let e as NetlinkDecodeError:
            return ("\(e). This is a bug in sriovctl or an unexpected kernel reply; please report it.", .hostFailed)
        case let e as SocketError:
            return (e.description, .hostFailed)
        default:
            return nil
        }
    }
}
