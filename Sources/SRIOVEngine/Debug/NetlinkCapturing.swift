import SRIOVHost

/// `sriovctl debug capture-netlink FILE`: one raw RTM_GETLINK dump (or, with `--fdb`, one
/// forwarding-table RTM_GETNEIGH dump), for fixtures and bug reports.
public enum NetlinkCapturing {
    public static func capture(to path: String, withStats: Bool, forwarding: Bool = false) throws -> (
        datagrams: Int, bytes: Int, sequence: UInt32
    ) {
        let (datagrams, sequence, bytes) = try KernelDumpCapture.capture(withStats: withStats, forwarding: forwarding)
        do {
            try AtomicFile.write(bytes: bytes, to: path)
        } catch {
            throw EngineError.hostFailed("cannot write \(path): \(error)")
        }
        return (datagrams, bytes.count, sequence)
    }
}
