#if canImport(Glibc)
    import Glibc
#endif

/// A forwarding-table entry that appeared or went away, as the kernel announces it.
public struct FDBEvent: Equatable, Sendable {
    public var added: Bool
    public var entry: FDBEntry

    public init(added: Bool, entry: FDBEntry) {
        self.added = added
        self.entry = entry
    }
}

/// A NETLINK_ROUTE socket on the neighbour group: a bridge announces every entry it learns,
/// ages out or flushes there, and a device every change to its own table. ARP and NDP neighbours
/// share the group and are skipped.
public final class NeighbourEventSocket {
    public let descriptor: Int32

    public init() throws {
        descriptor = try openGroupSocket(
            netlinkProtocol: RouteSocket.netlinkRoute, type: Int32(SOCK_RAW.rawValue), groups: 1 << (RouteGroup.neighbour - 1),
            receiveBuffer: 1 << 20)
    }

    deinit { close(descriptor) }

    /// Reads what is queued now without waiting. nil means the kernel dropped events (the queue
    /// overflowed): the caller must re-read the whole table.
    public func drain() throws -> [FDBEvent]? {
        var events: [FDBEvent] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = recv(descriptor, &buffer, buffer.count, Int32(MSG_DONTWAIT))
            if n < 0 {
                if errno == EINTR { continue }
                if errno == EAGAIN || errno == EWOULDBLOCK { return events }
                if errno == ENOBUFS { return nil }
                throw SocketError(call: "recv", errno: errno)
            }
            events += Self.decode(Array(buffer[0..<n]))
        }
    }

    /// The forwarding-table events in one datagram; anything malformed or foreign is skipped.
    public static func decode(_ datagram: [UInt8]) -> [FDBEvent] {
        guard let list = try? messages(in: datagram) else { return [] }
        return list.compactMap { message in
            let type = message.header.type
            guard type == MessageType.newNeighbour || type == MessageType.deleteNeighbour,
                let entry = try? decodeFDBEntry(datagram, message)
            else { return nil }
            return FDBEvent(added: type == MessageType.newNeighbour, entry: entry)
        }
    }
}

/// A timeout in seconds as poll(2)'s milliseconds: negative waits forever, NaN not at all, and
/// anything past a day is a day (a Double past Int32 would trap in the conversion).
public func pollMilliseconds(_ timeout: Double) -> Int32 {
    if timeout.isNaN { return 0 }
    if timeout < 0 { return -1 }
    return Int32(min(timeout, 86_400) * 1000)
}

/// Waits until one of `descriptors` can be read, or `timeout` seconds pass (negative: forever).
/// Returns which are readable.
public func waitReadable(_ descriptors: [Int32], timeout: Double) throws -> [Bool] {
    var polls = descriptors.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
    while true {
        let ready = poll(&polls, nfds_t(polls.count), pollMilliseconds(timeout))
        if ready < 0 {
            if errno == EINTR { continue }
            throw SocketError(call: "poll", errno: errno)
        }
        return polls.map { $0.revents & Int16(POLLIN | POLLERR) != 0 }
    }
}
