import SRIOVCore
import Testing

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// `VFField` is the one list of VF settings: the config key, the value in `VFSettings`, JSON, the
/// line `init` writes and the probe all come from it, so they cannot drift apart.
@Suite struct VFFieldTests {
    /// Every setting with a value a new VF does not have.
    static let full = VFSettings(
        mac: MACAddress("02:00:00:00:00:07"), vlan: 5, qos: 3, vlanProtocol: .dot1ad, spoofCheck: false, trust: true,
        linkState: .disable, minTxRate: 10, maxTxRate: 100, rssQuery: true)

    @Test func everyStoredSettingIsAField() {
        // A property added to VFSettings without its case here would be left out of everything.
        #expect(Mirror(reflecting: Self.full).children.count == VFField.allCases.count)
        for field in VFField.allCases {
            #expect(field.isSet(in: Self.full), "\(field) does not read its property")
            #expect(field.value(in: Self.full) != field.value(in: .freshlyCreated), "\(field)")
        }
    }

    @Test func copyingEveryFieldCopiesTheSettings() {
        var copy = VFSettings()
        for field in VFField.allCases { field.copy(from: Self.full, into: &copy) }
        #expect(copy == Self.full)
        var merged = VFSettings.freshlyCreated
        merged.merge(Self.full)
        #expect(merged == Self.full)
    }

    @Test func aValueOfAnotherKindIsRefusedAndChangesNothing() {
        var s = Self.full
        #expect(!VFField.vlan.set(.flag(true), in: &s))
        #expect(!VFField.rssQuery.set(.number(1), in: &s))
        #expect(!VFField.vlanProtocol.set(.text("802.1x"), in: &s))
        #expect(!VFField.mac.set(.text("zz"), in: &s))
        #expect(s == Self.full)
        #expect(VFField.rssQuery.set(nil, in: &s) && s.rssQuery == nil)
    }

    @Test func namesComeFromTheJSONKey() {
        #expect(
            VFField.allCases.map(\.configKey) == [
                "mac", "vlan", "qos", "vlan-protocol", "spoof-check", "trust", "link-state", "min-tx-rate", "max-tx-rate", "rss-query",
            ])
        #expect(VFField.rssQuery.metricsLabel == "rss_query" && VFField.vlanProtocol.metricsLabel == "vlan_protocol")
        #expect(Set(VFField.allCases.map(\.configKey)).isSubset(of: ConfigReader.vfKeys))
    }

    @Test func theJSONOfEveryFieldReadsBack() throws {
        let data = try JSONEncoder().encode(Self.full)
        #expect(try JSONDecoder().decode(VFSettings.self, from: data) == Self.full)
        let text = String(decoding: data, as: UTF8.self)
        for field in VFField.allCases { #expect(text.contains("\"\(field.rawValue)\""), "\(field) in \(text)") }
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(VFSettings.self, from: Data(#"{"linkState":"sometimes"}"#.utf8)) }
    }

    @Test func theLinesInitWritesAreReadBackAsTheSameSettings() throws {
        let lines = VFField.allCases.filter { $0 != .mac }.map { $0.configLine($0.value(in: Self.full)!).line }
        let toml = "[[pf]]\nname = \"p0\"\nnum-vfs = 1\n[[pf.vf]]\nindex = 0\n" + lines.joined(separator: "\n")
        let written = try ConfigReader.read(toml, path: "t.toml").pfs[0].written(0)
        var expected = Self.full
        expected.mac = nil
        #expect(written.settings == expected, "\(lines)")
    }

    @Test(arguments: [
        ("rss-query = \"yes\"", "rss-query must be true or false"),
        ("vlan-protocol = \"802.1x\"", "vlan-protocol must be one of \"802.1Q\", \"802.1ad\""),
        ("qos = 8", "qos must be an integer 0-7 (found 8)"),
    ])
    func aWrongValueIsNamedByItsKey(_ line: String, _ says: String) {
        let toml = "[[pf]]\nname = \"p0\"\nnum-vfs = 1\n[[pf.vf]]\nindex = 0\n\(line)"
        #expect {
            try ConfigReader.read(toml, path: "t.toml")
        } throws: { error in
            (error as? ConfigError)?.diagnostics.contains {
                $0.message.contains(says) && $0.location.keyPath.hasSuffix("vf[0]." + line.prefix { $0 != " " })
            } == true
        }
    }

    @Test func probeTriesEverySettingButTheMAC() {
        let probed = Set(ProbeCase.all.map(\.field))
        #expect(probed == Set(VFField.allCases).subtracting([.mac]))
        #expect(ProbeCase.all.contains { $0.name == "rss-query" && $0.settings.rssQuery == true })
        #expect(Set(ProbeCase.all.map(\.name)).count == ProbeCase.all.count)
    }
}
