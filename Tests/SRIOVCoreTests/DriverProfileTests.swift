import SRIOVCore
import Testing

/// The driver profiles as data: every fact names the kernel source it was read from.
@Suite struct DriverProfileTests {
    @Test(arguments: DriverProfile.known.map(\.name))
    func everyFactNamesItsKernelSource(_ name: String) throws {
        let profile = try #require(DriverProfile.known.first { $0.name == name })
        #expect(profile.known)
        #expect(!profile.sources.isEmpty)
        for source in profile.sources {
            #expect(source.file.hasPrefix("drivers/") || source.file.hasPrefix("net/"), "\(source)")
            #expect(source.file.hasSuffix(".c") || source.file.hasSuffix(".h"), "\(source)")
            // A function or constant name: an identifier with at least one underscore.
            #expect(source.function.contains { $0 == "_" } && source.function.first?.isLetter == true, "\(source)")
        }
        for rule in profile.rules {
            #expect(!rule.why.isEmpty && !rule.instead.isEmpty, "\(rule.field)")
        }
        // Every rule, limit and flag has its source: the count of sources is the count of facts.
        let facts =
            profile.rules.count + profile.privateFlags.count
            + [
                profile.rateSteps != nil, profile.vfLimit != nil, profile.untrusted != nil, profile.macChange.source != nil,
                profile.perVFCounters != nil, profile.vfsNeedLinkUp != nil, profile.mayEnableFewer != nil,
                profile.vectorsRunOut != nil,
            ]
            .filter { $0 }.count
        #expect(profile.sources.count == facts)
    }

    @Test func anUnknownDriverGetsTheCautiousProfile() {
        let profile = DriverProfile.of(driver: "frobnic")
        #expect(!profile.known && profile.rules.isEmpty && profile.vfLimit == nil)
        #expect(DriverProfile.of(driver: nil).driver == "unknown")
    }

    @Test func igbTellsThe82576FromTheI350ByItsVFDevice() {
        #expect(DriverProfile.of(driver: "igb", vfDevice: "8086:10ca").variant == "82576")
        #expect(DriverProfile.of(driver: "igb", vfDevice: "8086:152D").variant == "82576")
        #expect(DriverProfile.of(driver: "igb", vfDevice: "8086:1520").variant == "i350")
        #expect(DriverProfile.of(driver: "igb").variant == nil)
    }

    @Test(arguments: [(0, 0), (1, 50), (49, 50), (50, 50), (99, 50), (120, 100), (150, 150), (40_000, 40_000)])
    func i40eRatesAreEnforcedInStepsOf50(_ asked: Int, _ enforced: Int) throws {
        let steps = try #require(DriverProfile.of(driver: "i40e").rateSteps)
        #expect(steps.enforced(asked) == enforced)
    }

    @Test func ruleValuesMatchOnlyWhatTheyAreAbout() {
        let rule = SettingRule(
            .maxTxRate, .between(1...10), .refused(errno: "EINVAL"), why: "w", instead: "i",
            source: KernelSource("drivers/x.c", "x_y"))
        #expect(rule.matches(VFSettings(maxTxRate: 10)))
        #expect(!rule.matches(VFSettings(maxTxRate: 11)))
        #expect(!rule.matches(VFSettings(maxTxRate: 0)))
        #expect(!rule.matches(VFSettings()))
        let any = SettingRule(.linkState, .anyButDefault, .ignored, why: "w", instead: "i", source: KernelSource("drivers/x.c", "x_y"))
        #expect(!any.matches(VFSettings(linkState: .auto)) && any.matches(VFSettings(linkState: .disable)))
    }
}
