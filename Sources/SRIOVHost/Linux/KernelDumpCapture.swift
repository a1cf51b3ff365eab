import Netlink

/// One raw RTM_GETLINK dump (with VF info, optionally stats) or one forwarding-table
/// RTM_GETNEIGH dump from this machine's kernel, encoded as the file a host tree reads
/// (`run/sriovctl/netlink-dump.bin`, `fdb-dump.bin`): for fixtures and bug reports.
public enum KernelDumpCapture {
    public static func capture(withStats: Bool, forwarding: Bool) throws -> (datagrams: Int, sequence: UInt32, encoded: [UInt8]) {
        let socket = try RouteSocket()
        let (sequence, datagrams) = try forwarding ? socket.captureForwardingDump() : socket.captureDump(withStats: withStats)
        return (datagrams.count, sequence, NetlinkCapture(sequence: sequence, datagrams: datagrams).encoded())
    }
}

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
