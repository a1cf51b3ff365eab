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
        // A table as large as the highest index written (usually a handful, at most 65,537).
        // next[i]: the smallest index >= i not marked yet (size: none), with path compression;
        // i is marked (written by an earlier part) exactly when next[i] != i.
        let size = (ranges.map(\.high).max() ?? 0) + 1
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
            // Marks this part's unmarked indexes, each once over the whole list; an index skipped
            // on the way was written by an earlier part: the first one is the repeat to name.
            var marked = 0
            var i = unmarked(from: low)
            if repeated == nil && i != low { repeated = Repeated(first: low, count: 0) }
            while i <= high {
                next[i] = i + 1
                marked += 1
                let following = unmarked(from: i + 1)
                if repeated == nil && following != i + 1 && i + 1 <= high { repeated = Repeated(first: i + 1, count: 0) }
                i = following
            }
            if repeated != nil { repeated!.count += (high - low + 1) - marked }
        }
        // The union of the parts, in order: the ranges sorted and merged.
        var indexes: [Int] = []
        var covered = -1
        for (low, high) in ranges.sorted(by: { $0.low < $1.low }) where high > covered {
            indexes.append(contentsOf: max(low, covered + 1)...high)
            covered = high
        }
        return (indexes, repeated)
    }
}
