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

    /// Rows in this order; rows without a rate go after those with one, then by PF and VF.
    public func sorted(_ rows: [VFTraffic]) -> [VFTraffic] {
        func position(_ a: VFTraffic, _ b: VFTraffic) -> Bool {
            (a.reading.pfPCI, a.reading.index) < (b.reading.pfPCI, b.reading.index)
        }
        func byRate(_ key: @escaping (VFTraffic) -> Double?) -> (VFTraffic, VFTraffic) -> Bool {
            { a, b in
                switch (key(a), key(b)) {
                case let (x?, y?) where x != y: return x > y
                case (.some, nil): return true
                case (nil, .some): return false
                default: return position(a, b)
                }
            }
        }
        switch self {
        case .total:
            return rows.sorted(by: byRate { r in
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
