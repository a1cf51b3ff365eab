import SRIOVCore
import Testing

/// When removing the package may go on: never while sriovctl alone makes VFs at boot.
@Suite struct RemovalDecisionTests {
    typealias Facts = RemovalDecision.Facts
    let made = [RemovalDecision.MadeVFs(pf: "enp1s0", count: 4), .init(pf: "enp2s0", count: 0)]

    @Test func aRetiredManagerIsPutBackWhateverElseHolds() {
        #expect(RemovalDecision.decide(Facts(bootUnitEnabled: true, retiredManagers: 1, madeVFs: made)) == .proceed(restoreTakeOver: true))
    }

    @Test func refusedOnlyWhileTheEnabledUnitAloneMakesVFs() {
        guard
            case let .refuse(text) = RemovalDecision.decide(
                Facts(bootUnitEnabled: true, retiredManagers: 0, madeVFs: made, guests: [100, 101], mappings: ["wan"]))
        else {
            Issue.record("not refused")
            return
        }
        #expect(text.contains("makes 4 VFs of enp1s0 at every boot"), "a PF with 0 VFs is not named: \(text)")
        #expect(!text.contains("enp2s0"))
        #expect(text.contains("(VMs 100, 101; mapping wan) could not start"))
        #expect(RemovalDecision.decide(Facts(bootUnitEnabled: false, retiredManagers: 0, madeVFs: made)) == .proceed(restoreTakeOver: false))
        #expect(
            RemovalDecision.decide(Facts(bootUnitEnabled: true, retiredManagers: 0, madeVFs: [.init(pf: "enp1s0", count: 0)]))
                == .proceed(restoreTakeOver: false))
        #expect(
            RemovalDecision.decide(Facts(bootUnitEnabled: true, retiredManagers: 0, madeVFs: made, anyway: true)) == .proceed(restoreTakeOver: false))
    }

    @Test func theConfigAnInstalledUnitRunsWith() {
        let unit = "[Service]\nExecStart=\nExecStart=/usr/sbin/sriovctl apply --boot --wait 60 --config /root/vfs.toml\n"
        #expect(BootUnits.configPath(inUnit: unit) == "/root/vfs.toml")
        #expect(BootUnits.configPath(inUnit: "ExecStart=/usr/sbin/sriovctl apply --config relative.toml\n") == nil)
        #expect(BootUnits.configPath(inUnit: "ExecStart=/usr/sbin/sriovctl apply --config\n") == nil)
        #expect(BootUnits.configPath(inUnit: "[Unit]\n") == nil)
    }
}
