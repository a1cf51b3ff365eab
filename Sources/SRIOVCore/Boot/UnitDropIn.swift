/// A systemd drop-in that turns a packaged unit (`/usr/lib/systemd/system`) into the unit sriovctl
/// would write for the options given (another config path, binary, wait or listen address), so a
/// Debian package's units stay the package's and only the differences live under /etc.
public enum UnitDropIn {
    public struct Entry: Hashable, Sendable {
        public var section: String
        public var key: String
        public var value: String

        public init(section: String, key: String, value: String) {
            self.section = section
            self.key = key
            self.value = value
        }
    }

    /// The `Key=value` lines of a unit, by section, in order; comments and blank lines left out.
    public static func entries(_ text: String) -> [Entry] {
        var section = ""
        var result: [Entry] = []
        for raw in text.split(separator: "\n") {
            let line = raw.trimmingSpaces()
            if line.isEmpty || line.hasPrefix("#") || line.hasPrefix(";") { continue }
            if line.hasPrefix("[") && line.hasSuffix("]") {
                section = String(line.dropFirst().dropLast())
                continue
            }
            guard let equals = line.firstIndex(of: "=") else { continue }
            result.append(
                Entry(
                    section: section, key: String(line[..<equals]).trimmingSpaces(),
                    value: String(line[line.index(after: equals)...]).trimmingSpaces()))
        }
        return result
    }

    /// The drop-in's text, or nil when the packaged unit already is the wanted one. Every key
    /// whose values differ is reset (`Key=`) and given the wanted values.
    public static func make(packaged: String, wanted: String) -> String? {
        let have = entries(packaged)
        let want = entries(wanted)
        var sections: [String] = []
        var lines: [String: [String]] = [:]
        var keys: [(section: String, key: String)] = []
        for e in want + have where !keys.contains(where: { $0.section == e.section && $0.key == e.key }) {
            keys.append((e.section, e.key))
        }
        for (section, key) in keys {
            let before = have.filter { $0.section == section && $0.key == key }.map(\.value)
            let after = want.filter { $0.section == section && $0.key == key }.map(\.value)
            guard before != after else { continue }
            if !sections.contains(section) { sections.append(section) }
            lines[section, default: []] += ["\(key)="] + after.map { "\(key)=\($0)" }
        }
        guard !sections.isEmpty else { return nil }
        let body = sections.map { "[\($0)]\n" + lines[$0]!.joined(separator: "\n") }.joined(separator: "\n\n")
        return "# Written by sriovctl: the packaged unit, with the options sriovctl was given.\n" + body + "\n"
    }
}
