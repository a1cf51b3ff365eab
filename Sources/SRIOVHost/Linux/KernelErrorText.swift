import Netlink

/// Kernel and netlink errors as a message, and whether the input was at fault (never: they are
/// the host's), so the layers above need not know the netlink types. Nil for any other error.
public enum KernelErrorText {
    public static func classify(_ error: any Error) -> (message: String, invalidInput: Bool)? {
        switch error {
        case let e as KernelError: (e.description, false)
        case let e as NetlinkDecodeError: ("\(e). This is a bug in sriovctl or an unexpected kernel reply; please report it.", false)
        case let e as SocketError: (e.description, false)
        default: nil
        }
    }
}
