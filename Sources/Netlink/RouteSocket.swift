#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#endif

/// A failed system call on the netlink socket, with the call's name and the errno.
public struct SocketError: Error, Equatable, Sendable, CustomStringConvertible {
    public let call: String
    public let errno: Int32

    public var description: String {
        "netlink \(call) failed: \(errnoName(errno)) (\(String(cString: strerror(errno))))"
    }
}

/// `struct sockaddr_nl` from linux/netlink.h, which Glibc's module map does not export.
struct NetlinkAddress {
    var family: UInt16 = UInt16(AF_NETLINK)
    var pad: UInt16 = 0
    var portID: UInt32 = 0
    var groups: UInt32 = 0
}

/// A `NETLINK_ROUTE` socket: sends one request, then reads every datagram of its reply.
/// Receive buffers are sized by peeking at the next datagram, so a PF with 256 VFs and their
/// stats (about 75 KB in one message) is read whole.
public final class RouteSocket {
    private let fd: Int32
    public let portID: UInt32
    private var nextSequence: UInt32
    /// Datagrams and bytes received, for benchmarks and the debug log.
    public private(set) var datagramsReceived = 0
    public private(set) var bytesReceived = 0
    public private(set) var messagesSent = 0
    /// Requests sent by every socket of this process, for benchmarks (`SRIOVCTL_NETLINK_STATS`).
    nonisolated(unsafe) public private(set) static var requestsSentByProcess = 0

    package static let netlinkRoute: Int32 = 0  // NETLINK_ROUTE
    static let solNetlink: Int32 = 270  // SOL_NETLINK
    static let optCapAck: Int32 = 10  // NETLINK_CAP_ACK
    static let optExtAck: Int32 = 11  // NETLINK_EXT_ACK

    /// socket(2), bind(2) to a kernel-chosen port, getsockname(2) to learn it, and extended acks on.
    public init() throws {
        let fd = socket(AF_NETLINK, Int32(SOCK_RAW.rawValue) | Int32(SOCK_CLOEXEC.rawValue), Self.netlinkRoute)
        guard fd >= 0 else { throw SocketError(call: "socket", errno: errno) }
        var one: Int32 = 1
        // Extended ack: the kernel's own words on why it refused. Capped: don't echo our request back.
        _ = setsockopt(fd, Self.solNetlink, Self.optExtAck, &one, socklen_t(MemoryLayout<Int32>.size))
        _ = setsockopt(fd, Self.solNetlink, Self.optCapAck, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = NetlinkAddress()
        var length = socklen_t(MemoryLayout<NetlinkAddress>.size)
        let bound = withUnsafeMutablePointer(to: &address) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { sa -> Int32 in
                guard bind(fd, sa, length) == 0 else { return -1 }
                return getsockname(fd, sa, &length)
            }
        }
        guard bound == 0 else {
            let e = errno
            close(fd)
            throw SocketError(call: "bind", errno: e)
        }
        self.fd = fd
        self.portID = address.portID
        // Sequence numbers start from the clock so a reused port never matches a stale reply.
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        self.nextSequence = UInt32(truncatingIfNeeded: now.tv_nsec ^ now.tv_sec)
    }

    deinit { close(fd) }

    /// A fresh sequence number for the next request.
    public func sequence() -> UInt32 {
        nextSequence &+= 1
        return nextSequence
    }

    /// Sends `request` (whose sequence is `sequence`) and collects the reply until it ends.
    public func exchange(_ request: [UInt8], sequence: UInt32) throws -> ReplyCollector {
        try send(request)
        var collector = ReplyCollector(sequence: sequence, portID: portID)
        while !collector.finished {
            try collector.consume(try receive())
        }
        return collector
    }

    /// Every link, with VF information (and VF stats when asked), in one dump. Retried when the
    /// kernel says the dump was interrupted by a concurrent change.
    public func dumpLinks(withStats: Bool) throws -> [LinkInfo] {
        var attempt = 0
        while true {
            let seq = sequence()
            do {
                return try exchange(LinkRequest.dump(sequence: seq, withStats: withStats), sequence: seq).links
            } catch NetlinkProtocolError.dumpInterrupted where attempt < 3 {
                attempt += 1
                try drain()
            }
        }
    }

    /// One link by index, with VF information.
    public func link(index: Int32, withStats: Bool) throws -> LinkInfo? {
        let seq = sequence()
        return try exchange(LinkRequest.get(index: index, sequence: seq, withStats: withStats), sequence: seq).links.first
    }

    /// One link by name, with VF information.
    public func link(name: String, withStats: Bool) throws -> LinkInfo? {
        let seq = sequence()
        return try exchange(LinkRequest.get(name: name, sequence: seq, withStats: withStats), sequence: seq).links.first
    }

    /// Sets every change on the link `index` in one acknowledged `RTM_SETLINK`.
    public func setVFs(index: Int32, changes: [VFChange]) throws {
        let seq = sequence()
        _ = try exchange(LinkRequest.setVFs(index: index, changes: changes, sequence: seq), sequence: seq)
    }

    /// Sets the link's administrative state and/or MTU in one acknowledged `RTM_SETLINK`.
    public func setLink(index: Int32, up: Bool?, mtu: UInt32?) throws {
        let seq = sequence()
        _ = try exchange(LinkRequest.setLink(index: index, up: up, mtu: mtu, sequence: seq), sequence: seq)
    }

    /// Every forwarding-table entry: the bridges' tables and each device's own. Retried when the
    /// kernel says the dump was interrupted by a concurrent change.
    public func dumpForwardingEntries() throws -> [FDBEntry] {
        var attempt = 0
        while true {
            let seq = sequence()
            do {
                return try exchange(NeighbourRequest.dump(sequence: seq), sequence: seq).fdbEntries
            } catch NetlinkProtocolError.dumpInterrupted where attempt < 3 {
                attempt += 1
                try drain()
            }
        }
    }

    /// Adds (`present`) or removes a MAC in the device's own forwarding table, acknowledged.
    public func setOwnForwardingEntry(index: Int32, mac: [UInt8], present: Bool) throws {
        let seq = sequence()
        let request =
            present
            ? NeighbourRequest.addSelf(index: index, mac: mac, sequence: seq)
            : NeighbourRequest.deleteSelf(index: index, mac: mac, sequence: seq)
        _ = try exchange(request, sequence: seq)
    }

    /// The raw datagrams of a link dump, for capturing fixtures.
    public func captureDump(withStats: Bool) throws -> (sequence: UInt32, datagrams: [[UInt8]]) {
        let seq = sequence()
        return (seq, try capture(LinkRequest.dump(sequence: seq, withStats: withStats), sequence: seq))
    }

    /// The raw datagrams of a forwarding-table dump, for capturing fixtures.
    public func captureForwardingDump() throws -> (sequence: UInt32, datagrams: [[UInt8]]) {
        let seq = sequence()
        return (seq, try capture(NeighbourRequest.dump(sequence: seq), sequence: seq))
    }

    private func capture(_ request: [UInt8], sequence seq: UInt32) throws -> [[UInt8]] {
        try send(request)
        var collector = ReplyCollector(sequence: seq, portID: portID)
        var datagrams: [[UInt8]] = []
        while !collector.finished {
            let d = try receive()
            datagrams.append(d)
            try collector.consume(d)
        }
        return datagrams
    }

    private func send(_ request: [UInt8]) throws {
        var kernel = NetlinkAddress()
        let sent = request.withUnsafeBytes { buffer in
            withUnsafePointer(to: &kernel) { p in
                p.withMemoryRebound(to: sockaddr.self, capacity: 1) { sa in
                    sendto(fd, buffer.baseAddress, buffer.count, 0, sa, socklen_t(MemoryLayout<NetlinkAddress>.size))
                }
            }
        }
        guard sent == request.count else { throw SocketError(call: "sendto", errno: sent < 0 ? errno : EMSGSIZE) }
        messagesSent += 1
        Self.requestsSentByProcess += 1
    }

    /// Peeks at the next datagram's true size (MSG_PEEK|MSG_TRUNC), then reads it whole.
    private func receive() throws -> [UInt8] {
        var size: Int
        repeat {
            size = recv(fd, nil, 0, Int32(MSG_PEEK | MSG_TRUNC))
        } while size < 0 && errno == EINTR
        guard size >= 0 else { throw SocketError(call: "recv", errno: errno) }
        var buffer = [UInt8](repeating: 0, count: max(size, 16))
        var sender = NetlinkAddress()
        var senderLength = socklen_t(MemoryLayout<NetlinkAddress>.size)
        var received: Int
        repeat {
            received = buffer.withUnsafeMutableBytes { b in
                withUnsafeMutablePointer(to: &sender) { p in
                    p.withMemoryRebound(to: sockaddr.self, capacity: 1) { sa in
                        recvfrom(fd, b.baseAddress, b.count, 0, sa, &senderLength)
                    }
                }
            }
        } while received < 0 && errno == EINTR
        guard received >= 0 else { throw SocketError(call: "recvfrom", errno: errno) }
        guard sender.portID == 0 else { throw NetlinkProtocolError.foreignSender(portID: sender.portID) }
        datagramsReceived += 1
        bytesReceived += received
        return Array(buffer.prefix(received))
    }

    /// Discards whatever is still queued (the rest of an interrupted dump).
    private func drain() throws {
        while recv(fd, nil, 0, Int32(MSG_PEEK | MSG_TRUNC | MSG_DONTWAIT)) > 0 {
            _ = try receive()
        }
    }
}
