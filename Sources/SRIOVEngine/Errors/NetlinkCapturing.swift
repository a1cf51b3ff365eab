import Netlink
import SRIOVHost

/// `sriovctl debug capture-netlink FILE`: one raw RTM_GETLINK dump, for fixtures and bug reports.
public enum NetlinkCapturing {
    public static func capture(to path: String, withStats: Bool) throws -> (datagrams: Int, bytes: Int, sequence: UInt32) {
        let socket = try RouteSocket()
        let (sequence, datagrams) = try socket.captureDump(withStats: withStats)
        let bytes = NetlinkCapture(sequence: sequence, datagrams: datagrams).encoded()
        do {
            try AtomicFile.write(bytes: bytes, to: path)
        } catch {
            throw EngineError.hostFailed("cannot write \(path): \(error)")
        }
        return (datagrams.count, bytes.count, sequence)
    }
}
