/// One VF's traffic between two samples: what `top` shows and `top --once --json` prints.
public struct VFTraffic: Sendable, Hashable {
    public var reading: TrafficSample.Reading
    /// Per second over the interval; nil when there are no counters, on the first sample, or when
    /// the counters restarted during the interval.
    public var rxBitsPerSecond: Double?
    public var txBitsPerSecond: Double?
    public var rxPacketsPerSecond: Double?
    public var txPacketsPerSecond: Double?
    public var note: String?

    public init(
        reading: TrafficSample.Reading, rxBitsPerSecond: Double? = nil, txBitsPerSecond: Double? = nil,
        rxPacketsPerSecond: Double? = nil, txPacketsPerSecond: Double? = nil, note: String? = nil
    ) {
        self.reading = reading
        self.rxBitsPerSecond = rxBitsPerSecond
        self.txBitsPerSecond = txBitsPerSecond
        self.rxPacketsPerSecond = rxPacketsPerSecond
        self.txPacketsPerSecond = txPacketsPerSecond
        self.note = note
    }

    public var source: CounterSource? { reading.chosen.source }
    public var counters: VFCounters? { reading.chosen.counters }

    /// Rates from an earlier reading of the same VF to this one, `elapsed` seconds apart.
    /// A counter that went backwards (VF re-created, driver reloaded) gives no rate this time, not
    /// a negative or a huge one: the next interval starts from the new counters.
    public static func between(_ earlier: TrafficSample.Reading?, _ now: TrafficSample.Reading, elapsed: Double) -> VFTraffic {
        var traffic = VFTraffic(reading: now, note: now.chosen.note)
        guard let current = now.chosen.counters, now.chosen.source != nil else { return traffic }
        guard let earlier, let before = earlier.chosen.counters, earlier.chosen.source == now.chosen.source,
            earlier.pci == now.pci, elapsed > 0
        else {
            traffic.note = traffic.note ?? "measuring: rates need a second sample"
            return traffic
        }
        if current.wentBackwards(since: before) {
            traffic.note = "counters restarted (VF re-created or driver reloaded): rates resume next sample"
            return traffic
        }
        func rate(_ a: UInt64, _ b: UInt64, scale: Double = 1) -> Double { Double(a - b) * scale / elapsed }
        traffic.rxBitsPerSecond = rate(current.rxBytes, before.rxBytes, scale: 8)
        traffic.txBitsPerSecond = rate(current.txBytes, before.txBytes, scale: 8)
        traffic.rxPacketsPerSecond = rate(current.rxPackets, before.rxPackets)
        traffic.txPacketsPerSecond = rate(current.txPackets, before.txPackets)
        return traffic
    }

    /// Every VF of `now`, with rates against `earlier` where that sample has the same VF.
    public static func rates(from earlier: TrafficSample?, to now: TrafficSample) -> [VFTraffic] {
        let before = Dictionary((earlier?.vfs ?? []).map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a })
        let elapsed = earlier.map { now.time - $0.time } ?? 0
        return now.vfs.map { between(before[$0.key], $0, elapsed: elapsed) }
    }
}
