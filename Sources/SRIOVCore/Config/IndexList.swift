/// Parses VF index lists as people write them: `"1-3,5"` is 1, 2, 3 and 5.
public enum IndexList {
    public enum Problem: Error, Equatable, Sendable {
        case malformed(String)
        case descending(String)
    }

    /// Indexes written more than once: the first found (in writing order) and how many times an
    /// index was written again in all.
    public struct Repeated: Equatable, Sendable {
        public var first: Int
        public var count: Int

        public init(first: Int, count: Int) {
            self.first = first
            self.count = count
        }
    }

    /// The indexes in order, each once, and those written more than once (ranges that overlap).
    /// Bounded in memory and time however many parts the list has: no index above 65535 (the
    /// most VFs a device can have); the union comes from the sorted ranges, the repeats are
    /// counted from it, and finding the first repeat marks whole words of a bitmap and stops
    /// there, so `"0-65535"` written 100,000 times costs about what it costs once.
    public static func parse(_ text: String) throws(Problem) -> (indexes: [Int], repeated: Repeated?) {
        var ranges: [(low: Int, high: Int)] = []
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let item = part.trimmingSpaces()
            let bounds = item.split(separator: "-", omittingEmptySubsequences: false)
            guard (1...2).contains(bounds.count), bounds.allSatisfy({ (1...5).contains($0.count) && $0.allSatisfy { $0.isASCII && $0.isNumber } }),
                let low = Int(bounds[0]), let high = Int(bounds[bounds.count - 1]), high <= 65_535
            else { throw .malformed(item.echoed()) }
            guard low <= high else { throw .descending(item.echoed()) }
            ranges.append((low, high))
        }
        // The union of the parts, in order: the ranges sorted and merged.
        let sorted = ranges.sorted { $0.low < $1.low }
        var indexes: [Int] = []
        var covered = -1
        var overlapping = false
        for (low, high) in sorted {
            overlapping = overlapping || low <= covered
            if high > covered {
                indexes.append(contentsOf: max(low, covered + 1)...high)
                covered = high
            }
        }
        // Parts that do not overlap (as people write them) repeat nothing.
        guard overlapping else { return (indexes, nil) }
        // The first repeat in writing order: each part looks for an index an earlier part wrote,
        // then marks its own, in a bitmap a word at a time. Until the first repeat the parts are
        // disjoint, so all of them together touch the 1,024 words once and a word or two per part.
        var marks = [UInt64](repeating: 0, count: covered / 64 + 1)
        func words(_ low: Int, _ high: Int) -> some Sequence<(word: Int, mask: UInt64)> {
            (low / 64...high / 64).lazy.map { w in
                let from = w == low / 64 ? low % 64 : 0
                let to = w == high / 64 ? high % 64 : 63
                return (w, (UInt64.max << from) & (UInt64.max >> (63 - to)))
            }
        }
        var first: Int?
        search: for (low, high) in ranges {
            for (w, mask) in words(low, high) where marks[w] & mask != 0 {
                first = w * 64 + (marks[w] & mask).trailingZeroBitCount
                break search
            }
            for (w, mask) in words(low, high) { marks[w] |= mask }
        }
        // How many times an index was written again: everything written less the distinct ones.
        let written = ranges.reduce(0) { $0 + $1.high - $1.low + 1 }
        let repeated = first.map { Repeated(first: $0, count: written - indexes.count) }
        return (indexes, repeated)
    }
}
