/// A reply that broke the protocol rather than the request.
public enum NetlinkProtocolError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The kernel marked a dump inconsistent (`NLM_F_DUMP_INTR`): links changed during it. Retry.
    case dumpInterrupted
    /// A datagram came from a sender other than the kernel (port id 0).
    case foreignSender(portID: UInt32)

    public var description: String {
        switch self {
        case .dumpInterrupted: "the link list changed while it was read; try again"
        case let .foreignSender(portID): "ignored a netlink message from port \(portID), not the kernel"
        }
    }
}

/// Collects the replies to one request, datagram by datagram: link messages, then the end
/// (`NLMSG_DONE` after a dump, the single reply of a get, or the acknowledgement of a set).
/// Messages with another sequence number or port id belong to an earlier request and are skipped.
public struct ReplyCollector: Sendable {
    public let sequence: UInt32
    public let portID: UInt32
    public private(set) var links: [LinkInfo] = []
    /// Forwarding-table entries (a neighbour dump of family AF_BRIDGE).
    public private(set) var fdbEntries: [FDBEntry] = []
    public private(set) var finished = false
    /// Messages that answered some other request (stale replies), skipped.
    public private(set) var skipped = 0

    static let dumpInterruptedFlag: UInt16 = 0x10  // NLM_F_DUMP_INTR

    public init(sequence: UInt32, portID: UInt32) {
        self.sequence = sequence
        self.portID = portID
    }

    /// Feeds one received datagram. Throws `KernelError` when the kernel refused the request.
    public mutating func consume(_ datagram: [UInt8]) throws {
        for message in try messages(in: datagram) {
            // A collector made with port id 0 (replaying captured bytes) accepts any port.
            guard message.header.sequence == sequence, portID == 0 || message.header.portID == portID else {
                skipped += 1
                continue
            }
            if message.header.flags & Self.dumpInterruptedFlag != 0 { throw NetlinkProtocolError.dumpInterrupted }
            switch message.header.type {
            case MessageType.error:
                switch try decodeAcknowledgement(datagram, message) {
                case .ok: finished = true
                case let .failed(error): throw error
                }
            case MessageType.done:
                // A dump that failed part way carries a negative errno in NLMSG_DONE.
                if message.end - message.payloadStart >= 4 {
                    let error = datagram.i32(at: message.payloadStart)
                    if error < 0 {
                        // -1 to -4095 is an errno; Int32.min has no positive and is not one.
                        guard error > -4096 else {
                            throw NetlinkDecodeError.badValue(what: "error code", offset: message.payloadStart, value: Int(error))
                        }
                        throw KernelError(errno: -error)
                    }
                }
                finished = true
            case MessageType.newLink:
                links.append(try decodeLink(datagram, message))
                if message.header.flags & MessageFlags.multi == 0 { finished = true }
            case MessageType.newNeighbour:
                if let entry = try decodeFDBEntry(datagram, message) { fdbEntries.append(entry) }
                if message.header.flags & MessageFlags.multi == 0 { finished = true }
            case MessageType.noop:
                continue
            default:
                skipped += 1
            }
        }
    }
}

/// Decodes a whole forwarding-table dump (one or more datagrams) to the request `sequence`.
public func decodeFDBReply(_ datagrams: [[UInt8]], sequence: UInt32, portID: UInt32 = 0) throws -> [FDBEntry] {
    var collector = ReplyCollector(sequence: sequence, portID: portID)
    for datagram in datagrams { try collector.consume(datagram) }
    return collector.fdbEntries
}

/// Decodes a whole reply (one or more datagrams) to the request `sequence`. For tests and replay.
public func decodeLinkReply(_ datagrams: [[UInt8]], sequence: UInt32, portID: UInt32 = 0) throws -> [LinkInfo] {
    var collector = ReplyCollector(sequence: sequence, portID: portID)
    for datagram in datagrams { try collector.consume(datagram) }
    return collector.links
}
