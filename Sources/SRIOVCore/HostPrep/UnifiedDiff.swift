/// A unified diff (`diff -u`) of two texts, for showing file edits before they are made.
public enum UnifiedDiff {
    /// Empty when the texts are equal. `old` nil means the file does not exist yet; `new` nil, that it goes.
    public static func make(path: String, old: String?, new: String?, context: Int = 3) -> String {
        guard old != new else { return "" }
        let a = lines(old), b = lines(new)
        // Longest common subsequence table; config files are small.
        var lcs = Array(repeating: Array(repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in stride(from: a.count - 1, through: 0, by: -1) {
            for j in stride(from: b.count - 1, through: 0, by: -1) {
                lcs[i][j] = a[i] == b[j] ? lcs[i + 1][j + 1] + 1 : max(lcs[i + 1][j], lcs[i][j + 1])
            }
        }
        enum Op { case same(String), del(String), add(String) }
        var ops: [Op] = []
        var i = 0, j = 0
        while i < a.count || j < b.count {
            if i < a.count && j < b.count && a[i] == b[j] {
                ops.append(.same(a[i]))
                i += 1
                j += 1
            }
            // Deletions before additions, as diff -u prints them.
            else if i < a.count && (j == b.count || lcs[i + 1][j] >= lcs[i][j + 1]) {
                ops.append(.del(a[i]))
                i += 1
            } else {
                ops.append(.add(b[j]))
                j += 1
            }
        }
        var out = ["--- \(old == nil ? "/dev/null" : "a\(path)")", "+++ \(new == nil ? "/dev/null" : "b\(path)")"]
        // Group changes with `context` lines around them into hunks.
        let changed = ops.indices.filter { if case .same = ops[$0] { false } else { true } }
        var hunkStart = 0
        while hunkStart < changed.count {
            var hunkEnd = hunkStart
            while hunkEnd + 1 < changed.count && changed[hunkEnd + 1] - changed[hunkEnd] <= 2 * context { hunkEnd += 1 }
            let from = max(0, changed[hunkStart] - context), to = min(ops.count - 1, changed[hunkEnd] + context)
            var oldLine = 1, newLine = 1
            for k in 0..<from {
                switch ops[k] {
                case .same:
                    oldLine += 1
                    newLine += 1
                case .del: oldLine += 1
                case .add: newLine += 1
                }
            }
            var body: [String] = []
            var oldCount = 0, newCount = 0
            for k in from...to {
                switch ops[k] {
                case let .same(l):
                    body.append(" \(l)")
                    oldCount += 1
                    newCount += 1
                case let .del(l):
                    body.append("-\(l)")
                    oldCount += 1
                case let .add(l):
                    body.append("+\(l)")
                    newCount += 1
                }
            }
            out.append("@@ -\(oldCount == 0 ? oldLine - 1 : oldLine),\(oldCount) +\(newCount == 0 ? newLine - 1 : newLine),\(newCount) @@")
            out += body
            hunkStart = hunkEnd + 1
        }
        return out.joined(separator: "\n") + "\n"
    }

    private static func lines(_ text: String?) -> [String] {
        guard let text, !text.isEmpty else { return [] }
        var l = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if l.last == "" { l.removeLast() }
        return l
    }
}
