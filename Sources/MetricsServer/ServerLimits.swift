import NIOCore

#if canImport(Glibc)
    import Glibc
#endif

/// What one client may hold of the server. `serve` runs as root on a hypervisor, often on a
/// management network: a client that connects and sends nothing, or a byte every few seconds,
/// must not stop a real scrape from being answered.
public struct ServerLimits: Sendable {
    /// Connections open at once. A new connection past this closes the oldest one still waiting
    /// for its request (a slow or silent sender); if every connection is being answered, the new
    /// one is closed instead. Below the process's descriptor limit (see `fitting`), so accept
    /// never runs out of descriptors and a real scrape can always take a slot.
    public var connections: Int
    /// From the moment a connection opens (or its last answer is sent) to the end of its next
    /// request. Counted once, not restarted by each byte: trickling does not keep a connection.
    public var requestDeadline: TimeAmount
    /// How long a graceful stop waits for answers in flight before closing them.
    public var drainTimeout: TimeAmount

    public init(connections: Int = 512, requestDeadline: TimeAmount = .seconds(30), drainTimeout: TimeAmount = .seconds(5)) {
        self.connections = max(1, connections)
        self.requestDeadline = requestDeadline
        self.drainTimeout = drainTimeout
    }

    /// The limits for this process: as many connections as its descriptor limit allows with 100
    /// to spare (a scrape opens sysfs files and a netlink socket), between 16 and 4,096. Under the
    /// unit's `LimitNOFILE=1024` that is 924.
    public static func fitting(descriptors: Int? = nil) -> ServerLimits {
        var limit = rlimit()
        let soft = descriptors ?? (getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 ? Int(clamping: limit.rlim_cur) : 1024)
        return ServerLimits(connections: min(4096, max(16, soft - 100)))
    }
}
