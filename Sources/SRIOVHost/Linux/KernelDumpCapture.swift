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
