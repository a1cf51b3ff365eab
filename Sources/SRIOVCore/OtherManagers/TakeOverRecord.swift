/// What `boot enable --take-over` retired, kept in `/var/lib/sriovctl/take-over.json`, so that
/// `boot disable --restore` can put each one back.
public struct TakeOverRecord: Codable, Hashable, Sendable {
    public struct Entry: Codable, Hashable, Sendable {
        public enum Kind: String, Codable, Sendable { case unit, lines, moved }
        public var kind: Kind
        /// The unit file, the edited file, or the moved file's original path.
        public var path: String
        public var unit: String?
        public var lines: [Int]?

        public init(kind: Kind, path: String, unit: String? = nil, lines: [Int]? = nil) {
            self.kind = kind
            self.path = path
            self.unit = unit
            self.lines = lines
        }

        /// What `--take-over` writes: files under /etc (plain absolute paths), and unit names
        /// systemd takes (never an option such as `--global`).
        public var isSound: Bool {
            let plainPath =
                path.hasPrefix("/etc/") && !path.contains("..") && path.count <= 1024
                && path.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-_./+@:".contains($0)) }
            guard plainPath else { return false }
            if let unit {
                guard let first = unit.first, first != "-", unit.count <= 256,
                    [".service", ".timer", ".path", ".socket"].contains(where: { unit.hasSuffix($0) }),
                    unit.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || ":_.@-\\".contains($0)) })
                else { return false }
            }
            return (lines ?? []).allSatisfy { $0 > 0 }
        }
    }

    public var entries: [Entry]

    public init(entries: [Entry] = []) { self.entries = entries }

    public static let path = "/var/lib/sriovctl/take-over.json"
    public static let backupFolder = "/var/lib/sriovctl/take-over"
    /// What commented-out lines start with.
    public static let marker = "# sriovctl take-over: "
    /// What a moved file's name gets.
    public static let movedSuffix = ".sriovctl-retired"

    /// Where a file's original is kept before it is edited or moved.
    public static func backupPath(of path: String) -> String {
        backupFolder + "/" + path.split(separator: "/").joined(separator: "_")
    }

    /// `text` with these 1-based lines commented out behind the marker.
    public static func commentingOut(_ lines: [Int], in text: String) -> String {
        let wanted = Set(lines)
        return text.split(separator: "\n", omittingEmptySubsequences: false).enumerated().map { i, line in
            wanted.contains(i + 1) && !line.hasPrefix(marker) ? marker + line : String(line)
        }.joined(separator: "\n")
    }

    /// `text` with every line behind the marker put back (other edits made since are kept).
    public static func restoring(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            line.hasPrefix(marker) ? String(line.dropFirst(marker.count)) : String(line)
        }.joined(separator: "\n")
    }
}
