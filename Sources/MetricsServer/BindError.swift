#if canImport(Glibc)
    import Glibc
#endif

/// The address could not be bound (in use, not on this machine, a privileged port).
public struct BindError: Error, Equatable, Sendable, CustomStringConvertible {
    public var host: String
    public var port: Int
    public var errno: Int32

    public init(host: String, port: Int, errno: Int32) {
        self.host = host
        self.port = port
        self.errno = errno
    }

    /// Another socket listens on that address and port (EADDRINUSE).
    public var isAddressInUse: Bool { errno == EADDRINUSE }

    /// No interface of this machine has that address (EADDRNOTAVAIL).
    public var isAddressNotAvailable: Bool { errno == EADDRNOTAVAIL }

    public var description: String {
        let reason = String(cString: strerror(errno))
        let shown = host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
        return "cannot listen on \(shown): \(reason) (errno \(errno))"
    }
}
