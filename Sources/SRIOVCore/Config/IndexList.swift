/// Parses VF index lists as people write them: `"1-3,5"` is 1, 2, 3 and 5.
public enum IndexList {
    public enum Problem: Error, Equatable, Sendable {
        case malformed(String)
        case descending(String)
    }

    /// The indexes in order, each once, and those written more than once (ranges that overlap).
    /// Bounded: no index above 65535 (the most VFs a device can have), so a hostile list cannot
    /// make more than 65536 of them however many parts it has.
    public static func parse(_ text: String) throws(Problem) -> (indexes: [Int], repeated: [Int]) {
        var seen = [Bool](repeating: false, count: 65_536)
        var indexes: [Int] = []
        var repeated: [Int] = []
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let item = part.trimmingSpaces()
            let bounds = item.split(separator: "-", omittingEmptySubsequences: false)
            guard (1...2).contains(bounds.count), bounds.allSatisfy({ (1...5).contains($0.count) && $0.allSatisfy { $0.isASCII && $0.isNumber } }),
                let low = Int(bounds[0]), let high = Int(bounds[bounds.count - 1]), high <= 65_535
            else { throw .malformed(item.echoed()) }
            guard low <= high else { throw .descending(item.echoed()) }
            for i in low...high {
                if seen[i] {
                    if repeated.count < 65_536 { repeated.append(i) }
                } else {
                    seen[i] = true
                    indexes.append(i)
                }
            }
        }
        return (indexes.sorted(), repeated)
    }
}
