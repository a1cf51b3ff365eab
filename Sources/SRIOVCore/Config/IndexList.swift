/// Parses VF index lists as people write them: `"1-3,5"` is 1, 2, 3 and 5.
public enum IndexList {
    public enum Problem: Error, Equatable, Sendable {
        case malformed(String)
        case descending(String)
    }

    public static func parse(_ text: String) throws(Problem) -> [Int] {
        var result: [Int] = []
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            let item = part.trimmingSpaces()
            let bounds = item.split(separator: "-", omittingEmptySubsequences: false)
            guard (1...2).contains(bounds.count), bounds.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isASCII) }),
                let low = Int(bounds[0]), let high = Int(bounds[bounds.count - 1]), low >= 0
            else { throw .malformed(String(item)) }
            guard low <= high else { throw .descending(String(item)) }
            guard high - low < 65_536 else { throw .malformed(String(item)) }
            result.append(contentsOf: low...high)
        }
        return result
    }
}
