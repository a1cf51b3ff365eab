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
    /// most VFs a device can have), and each index is marked once (a "next unmarked index" table
    /// skips what earlier parts covered), so `"0-65535"` written 100,000 times costs about what
    /// it costs once.
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
        // Tables as large as the highest index written (usually a handful, at most 65,536).
        let size = (ranges.map(\.high).max() ?? 0) + 1
        var seen = [Bool](repeating: false, count: size)
        // next[i]: the smallest index >= i not marked yet (size: none), with path compression.
        var next = Array(0...size)
        func unmarked(from start: Int) -> Int {
            var root = start
            while next[root] != root { root = next[root] }
            var i = start
            while next[i] != root {
                let following = next[i]
                next[i] = root
                i = following
            }
            return root
        }
        var repeated: Repeated?
        for (low, high) in ranges {
            if repeated == nil {
                // The first index of this part that an earlier part wrote. The unmarked indexes
                // walked over are marked just below, so each is walked once over the whole list.
                var i = low
                while i <= high && !seen[i] { i += 1 }
                if i <= high { repeated = Repeated(first: i, count: 0) }
            }
            var marked = 0
            var i = unmarked(from: low)
            while i <= high {
                seen[i] = true
                next[i] = i + 1
                marked += 1
                i = unmarked(from: i + 1)
            }
            if repeated != nil { repeated!.count += (high - low + 1) - marked }
        }
        return (seen.indices.filter { seen[$0] }, repeated)
    }
}
