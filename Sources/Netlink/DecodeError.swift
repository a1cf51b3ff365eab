/// Why bytes from the kernel could not be decoded. Decoding never traps on bad input.
public enum NetlinkDecodeError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A header or attribute claims more bytes than there are.
    case truncated(what: String, offset: Int, need: Int, have: Int)
    /// A length field smaller than its own header.
    case badLength(what: String, offset: Int, length: Int)
    /// A field whose value the kernel never sends.
    case badValue(what: String, offset: Int, value: Int)

    public var description: String {
        switch self {
        case let .truncated(what, offset, need, have):
            "netlink reply truncated: \(what) at byte \(offset) needs \(need) bytes, \(have) left"
        case let .badLength(what, offset, length):
            "netlink reply malformed: \(what) at byte \(offset) has length \(length)"
        case let .badValue(what, offset, value):
            "netlink reply malformed: \(what) at byte \(offset) is \(value)"
        }
    }
}
