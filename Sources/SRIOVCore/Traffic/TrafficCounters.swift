/// A VF's traffic counters: the PF's per-VF counters (`IFLA_VF_STATS`) or the VF's own netdev's.
/// Counts are from the VF's side: rx is what the VF received. A count a source does not keep is nil.
public struct VFCounters: Hashable, Sendable, Codable {
    public var rxPackets: UInt64
    public var txPackets: UInt64
    public var rxBytes: UInt64
    public var txBytes: UInt64
    /// Received broadcast packets (per-VF counters only; a netdev does not count them apart).
    public var broadcast: UInt64?
    /// Received multicast packets.
    public var multicast: UInt64?
    /// Only kernels from 4.19 on report per-VF drops.
    public var rxDropped: UInt64?
    public var txDropped: UInt64?

    public init(
        rxPackets: UInt64 = 0, txPackets: UInt64 = 0, rxBytes: UInt64 = 0, txBytes: UInt64 = 0,
        broadcast: UInt64? = nil, multicast: UInt64? = nil, rxDropped: UInt64? = nil, txDropped: UInt64? = nil
    ) {
        self.rxPackets = rxPackets
        self.txPackets = txPackets
        self.rxBytes = rxBytes
        self.txBytes = txBytes
        self.broadcast = broadcast
        self.multicast = multicast
        self.rxDropped = rxDropped
        self.txDropped = txDropped
    }

    /// Every count is zero: what a driver without per-VF counters reports (the kernel fills zeros).
    public var isAllZero: Bool {
        rxPackets == 0 && txPackets == 0 && rxBytes == 0 && txBytes == 0 && (broadcast ?? 0) == 0
            && (multicast ?? 0) == 0 && (rxDropped ?? 0) == 0 && (txDropped ?? 0) == 0
    }

    /// Whether any count is lower than in `earlier`: the counters restarted (VF re-created, driver
    /// reloaded), so a difference would be negative.
    public func wentBackwards(since earlier: VFCounters) -> Bool {
        func lower(_ a: UInt64?, _ b: UInt64?) -> Bool {
            guard let a, let b else { return false }
            return a < b
        }
        return rxPackets < earlier.rxPackets || txPackets < earlier.txPackets || rxBytes < earlier.rxBytes
            || txBytes < earlier.txBytes || lower(broadcast, earlier.broadcast) || lower(multicast, earlier.multicast)
            || lower(rxDropped, earlier.rxDropped) || lower(txDropped, earlier.txDropped)
    }
}
