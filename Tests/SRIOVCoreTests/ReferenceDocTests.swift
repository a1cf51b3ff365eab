import Foundation
import SRIOVCore
import Testing

/// docs/reference.md documents exactly the config keys the reader accepts: a key added to one and
/// not the other fails here.
@Suite struct ReferenceDocTests {
    static let reference = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("docs/reference.md")

    /// The keys in the first column of the tables under "## Config file (TOML)".
    func documentedKeys() throws -> Set<String> {
        let text = try String(contentsOf: Self.reference, encoding: .utf8)
        let section = try #require(
            text.components(separatedBy: "## Config file (TOML)").dropFirst().first?
                .components(separatedBy: "\n## ").first)
        var keys: Set<String> = []
        for line in section.split(separator: "\n") where line.hasPrefix("| `") {
            let cell = line.split(separator: "|").first ?? ""
            for part in cell.split(separator: "`") where !part.trimmingCharacters(in: .whitespaces).isEmpty && part != " / " {
                keys.insert(String(part))
            }
        }
        return keys
    }

    static let accepted = Set(ConfigReader.pfKeys + ConfigReader.vfKeys + ConfigReader.guestKeys + ["index", "indexes"])

    @Test func everyAcceptedKeyIsDocumentedAndNoOther() throws {
        #expect(try documentedKeys() == Self.accepted)
    }

    /// `man sriovctl.toml`: each key is a `.TP` entry with its name in bold and an example.
    @Test func theManPageDocumentsEveryAcceptedKeyWithAnExample() throws {
        let page = try String(
            contentsOf: Self.reference.deletingLastPathComponent().appendingPathComponent("man/sriovctl.toml.5"),
            encoding: .utf8)
        let lines = page.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var keys: Set<String> = []
        for (i, line) in lines.enumerated() where line == ".TP" && i + 1 < lines.count && lines[i + 1].hasPrefix(".B ") {
            let key = String(lines[i + 1].dropFirst(3))
            guard !key.hasPrefix("/") else { continue }  // FILES entries
            keys.insert(key)
            let entry = lines[(i + 2)...].prefix { $0 != ".TP" && !$0.hasPrefix(".SH") }
            #expect(entry.contains(".EX") || key == "vf", "\(key) has an example")
        }
        #expect(keys == Self.accepted)
    }
}
