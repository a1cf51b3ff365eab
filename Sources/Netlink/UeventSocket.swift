#if canImport(Glibc)
    import Glibc
#endif

/// One kernel uevent: `ACTION@DEVPATH` and its `KEY=VALUE` pairs.
public struct Uevent: Equatable, Sendable {
    public var action: String
    public var devpath: String
    public var properties: [String: String]

    /// Parses the kernel's format: NUL-separated `action@devpath`, then `KEY=VALUE` strings.
    /// Messages from udevd (they start with "libudev") are not the kernel's and give nil.
    public init?(_ bytes: [UInt8]) {
        let parts = bytes.split(separator: 0, omittingEmptySubsequences: true).map { String(decoding: $0, as: UTF8.self) }
        guard let head = parts.first, let at = head.firstIndex(of: "@"), !head.hasPrefix("libudev") else { return nil }
        action = String(head[..<at])
        devpath = String(head[head.index(after: at)...])
        var properties: [String: String] = [:]
        for part in parts.dropFirst() {
            guard let eq = part.firstIndex(of: "=") else { continue }
            properties[String(part[..<eq])] = String(part[part.index(after: eq)...])
        }
        self.properties = properties
    }

    public var subsystem: String? { properties["SUBSYSTEM"] }

    public init(action: String, devpath: String, properties: [String: String] = [:]) {
        self.action = action
        self.devpath = devpath
        self.properties = properties
    }

    /// Stands for events the kernel dropped because the queue was full: re-check everything.
    public static let overflow = Uevent(action: "overflow", devpath: "/")
}

/// A NETLINK_KOBJECT_UEVENT socket on the kernel's broadcast group: every device added, removed
/// or changed, as the kernel announces it (the same events udev starts from).
public final class UeventSocket {
    private let fd: Int32
    /// For waiting on it together with other sockets (`waitReadable`).
    public var descriptor: Int32 { fd }
    static let kobjectUevent: Int32 = 15  // NETLINK_KOBJECT_UEVENT

    public init() throws {
        // Group 1 is the kernel's uevent group. A burst (256 VFs going away) must not overflow
        // the queue before we read it: 4 MiB.
        fd = try openGroupSocket(
            netlinkProtocol: Self.kobjectUevent, type: Int32(SOCK_DGRAM.rawValue), groups: 1, receiveBuffer: 4 << 20)
    }

    deinit { close(fd) }

    /// The next event, or nil when `timeout` seconds pass without one (negative: wait forever).
    public func next(timeout: Double) throws -> Uevent? {
        while true {
            var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let ready = poll(&p, 1, pollMilliseconds(timeout))
            if ready < 0 {
                if errno == EINTR { continue }
                throw SocketError(call: "poll", errno: errno)
            }
            if ready == 0 { return nil }
            var buffer = [UInt8](repeating: 0, count: 16384)
            let n = recv(fd, &buffer, buffer.count, 0)
            if n < 0 {
                if errno == EINTR { continue }
                if errno == ENOBUFS { return .overflow }
                throw SocketError(call: "recv", errno: errno)
            }
            if let event = Uevent(Array(buffer[0..<n])) { return event }
        }
    }
}

/// A netlink socket bound to multicast `groups` (a bit mask), with a receive buffer of
/// `receiveBuffer` bytes: what the kernel announces, as it announces it.
package func openGroupSocket(netlinkProtocol: Int32, type: Int32, groups: UInt32, receiveBuffer: Int32) throws -> Int32 {
    let fd = socket(AF_NETLINK, type | Int32(SOCK_CLOEXEC.rawValue), netlinkProtocol)
    guard fd >= 0 else { throw SocketError(call: "socket", errno: errno) }
    var address = NetlinkAddress()
    address.groups = groups
    let bound = withUnsafePointer(to: &address) { p in
        p.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<NetlinkAddress>.size)) }
    }
    guard bound == 0 else {
        let e = errno
        close(fd)
        throw SocketError(call: "bind", errno: e)
    }
    var size = receiveBuffer
    _ = setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
    return fd
}
