/// How `top` orders its rows.
public enum TrafficOrder: String, CaseIterable, Sendable {
    /// rx + tx bits per second, busiest first.
    case total
    case rx
    case tx
    /// PF then VF index: rows stay where they are.
    case pf
    /// Guest id, VFs without a guest last.
    case vm

    /// The next order, for the key that cycles through them.
    public var next: TrafficOrder {
        let all = Self.allCases
        return all[(all.firstIndex(of: self)! + 1) % all.count]
    }

    /// A rate rounded to three significant digits, as `Units.si` prints it.
    static func asShown(_ value: Double) -> Double {
        guard value.isFinite, value >= 1000 else { return value.rounded() }
        var scale = 1.0
        while value / scale >= 999.5 { scale *= 10 }
        return (value / scale).rounded() * scale
    }

    /// Rows in this order; rows without a rate go after those with one, then by PF and VF.
    public func sorted(_ rows: [VFTraffic]) -> [VFTraffic] {
        func position(_ a: VFTraffic, _ b: VFTraffic) -> Bool {
            (a.reading.pfPCI, a.reading.index) < (b.reading.pfPCI, b.reading.index)
        }
        // Rates are compared as shown (three significant digits), so VFs that move the same
        // traffic keep their places instead of swapping on measurement noise.
        func byRate(_ key: @escaping (VFTraffic) -> Double?) -> (VFTraffic, VFTraffic) -> Bool {
            { a, b in
                switch (key(a).map(Self.asShown), key(b).map(Self.asShown)) {
                case let (x?, y?) where x != y: return x > y
                case (.some, nil): return true
                case (nil, .some): return false
                default: return position(a, b)
                }
            }
        }
        switch self {
        case .total:
            return rows.sorted(
                by: byRate { r in
                    r.rxBitsPerSecond.flatMap { rx in r.txBitsPerSecond.map { rx + $0 } }
                })
        case .rx: return rows.sorted(by: byRate(\.rxBitsPerSecond))
        case .tx: return rows.sorted(by: byRate(\.txBitsPerSecond))
        case .pf: return rows.sorted(by: position)
        case .vm:
            return rows.sorted { a, b in
                switch (a.reading.vm, b.reading.vm) {
                case let (x?, y?) where x != y: return x < y
                case (.some, nil): return true
                case (nil, .some): return false
                default: return position(a, b)
                }
            }
        }
    }
}
