import Netlink
import SRIOVHost

/// `sriovctl debug capture-netlink FILE`: one raw RTM_GETLINK dump (or, with `--fdb`, one
/// forwarding-table RTM_GETNEIGH dump), for fixtures and bug reports.
public enum NetlinkCapturing {
    public static func capture(to path: String, withStats: Bool, forwarding: Bool = false) throws -> (
        datagrams: Int, bytes: Int, sequence: UInt32
    ) {
        let socket = try RouteSocket()
        let (sequence, datagrams) = try forwarding ? socket.captureForwardingDump() : socket.captureDump(withStats: withStats)
        let bytes = NetlinkCapture(sequence: sequence, datagrams: datagrams).encoded()
        do {
            try AtomicFile.write(bytes: bytes, to: path)
        } catch {
            throw EngineError.hostFailed("cannot write \(path): \(error)")
        }
        return (datagrams.count, bytes.count, sequence)
    }
}
