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

    @Test func everyAcceptedKeyIsDocumentedAndNoOther() throws {
        let accepted = Set(ConfigReader.pfKeys + ConfigReader.vfKeys + ConfigReader.guestKeys + ["index", "indexes"])
        #expect(try documentedKeys() == accepted)
    }
}
