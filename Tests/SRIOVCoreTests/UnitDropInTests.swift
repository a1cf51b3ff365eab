import SRIOVCore
import Testing

/// The drop-in that turns the packaged unit into the one sriovctl would write for other options.
@Suite struct UnitDropInTests {
    let packaged = BootUnits.apply(binary: "/usr/sbin/sriovctl", config: "/etc/sriovctl/sriovctl.toml", waitSeconds: 60)

    @Test func theSameOptionsNeedNoDropIn() {
        let ours = BootUnits.apply(binary: "/usr/sbin/sriovctl", config: "/etc/sriovctl/sriovctl.toml", waitSeconds: 60)
        let relabelled = ours.replacing("# Installed by", with: "# Part of the package;")
        #expect(UnitDropIn.make(packaged: relabelled, wanted: ours) == nil, "comments do not count")
    }

    @Test func otherOptionsResetAndSetOnlyWhatDiffers() throws {
        let wanted = BootUnits.apply(binary: "/usr/sbin/sriovctl", config: "/srv/sriov.toml", waitSeconds: 90)
        let dropIn = try #require(UnitDropIn.make(packaged: packaged, wanted: wanted))
        let entries = UnitDropIn.entries(dropIn)
        #expect(entries.contains(.init(section: "Service", key: "ExecStart", value: "")), "ExecStart is reset before it is set")
        #expect(
            entries.contains(
                .init(
                    section: "Service", key: "ExecStart",
                    value: "/usr/sbin/sriovctl apply --boot --wait 90 --config /srv/sriov.toml")))
        #expect(entries.contains(.init(section: "Unit", key: "ConditionPathExists", value: "/srv/sriov.toml")))
        #expect(entries.contains(.init(section: "Service", key: "TimeoutStartSec", value: "150")))
        #expect(!entries.contains { $0.key == "After" || $0.key == "Type" || $0.key == "WantedBy" }, "what is the same stays out")
    }
}
