import Foundation
import SRIOVCore
import Testing

/// Other SR-IOV managers, found in real file shapes (Tests/Fixtures/other-managers/etc: the
/// guides' sriov.service verbatim, a Proxmox /etc/network/interfaces with post-up, a sysfs.d line,
/// a udev rule, modprobe options, a .link file, a NetworkManager connection, netplan).
@Suite struct OtherManagerScanTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/other-managers")

    static func files() -> OtherManagerFiles {
        var texts: [String: String] = [:]
        var enabled: Set<String> = []
        let walker = FileManager.default.enumerator(atPath: root.path)
        while let relative = walker?.nextObject() as? String {
            let path = "/" + relative
            let full = root.appendingPathComponent(relative).path
            if path.contains(".wants/") {
                enabled.insert(String(relative.split(separator: "/").last!))
                continue
            }
            if let text = try? String(contentsOfFile: full, encoding: .utf8) { texts[path] = text }
        }
        return OtherManagerFiles(texts: texts, enabledUnits: enabled)
    }

    let found = OtherManagerScan.scan(Self.files())

    func manager(_ name: String) -> OtherManager? { found.first { $0.name == name } }

    @Test func everyKindIsFoundAndNothingElse() {
        #expect(Set(found.map(\.kind)) == Set(OtherManager.Kind.allCases.filter { $0 != .networkdNetwork }))
        #expect(manager("unrelated.service") == nil, "a unit that does not touch VFs")
        #expect(manager("10-sriovctl-enp6s0f0.link") == nil, "sriovctl's own name pinning")
    }

    @Test func theGuidesUnitIsNamedWithWhatItSetsAndThatItWins() throws {
        let unit = try #require(manager("sriov.service"))
        #expect(unit.place == "/etc/systemd/system/sriov.service:6")
        #expect(unit.lines == [6, 7])
        #expect(unit.sets == ["4 VFs on enp6s0f0", "VF 0's MAC 02:00:00:00:00:00 on enp6s0f0"])
        #expect(unit.active && unit.atBoot.hasPrefix("sriov.service runs after sriovctl.service and sets 4 VFs on enp6s0f0; VF 0's MAC"))
        #expect(unit.retirement == .disableUnit("sriov.service"))
        let old = try #require(manager("old-vfs.service"))
        #expect(!old.active && old.sets == ["2 VFs on 0000:06:00.1"], "a disabled unit does not fight")
    }

    @Test func linesOfOtherFilesAreCommentedOutOrMovedAside() throws {
        let interfaces = try #require(found.first { $0.kind == .ifupdown })
        #expect(interfaces.lines == [5, 6] && interfaces.retirement == .commentOut(lines: [5, 6]))
        #expect(interfaces.sets == ["2 VFs on enp6s0f1", "VF 1's VLAN 20, spoof check off on enp6s0f1"])
        #expect(interfaces.atBoot.contains("when enp6s0f1 comes up"))
        let sysfs = try #require(found.first { $0.kind == .sysfsutils })
        #expect(sysfs.sets == ["3 VFs on enp6s0f2"] && sysfs.retirement == .commentOut(lines: [2]))
        let modprobe = try #require(found.first { $0.kind == .modprobeOption })
        #expect(modprobe.lines == [1] && modprobe.sets == ["max_vfs=7,7 for the igb driver"])
        #expect(try #require(found.first { $0.kind == .udevRule }).retirement == .moveAside)
        let link = try #require(found.first { $0.kind == .networkdLink })
        #expect(link.sets.first == "4 VFs" && link.retirement == .moveAside)
    }

    @Test func networkManagerAndNetplanGetTheCommandNotAnEdit() throws {
        let nm = try #require(found.first { $0.kind == .networkManager })
        #expect(nm.retirement == .tellUser("nmcli connection modify 'Wired uplink' sriov.total-vfs 0 sriov.vfs ''"))
        #expect(nm.atBoot.contains("removes the VFs when it goes down"))
        let netplan = try #require(found.first { $0.kind == .netplan })
        #expect(netplan.sets == ["4 VFs", "a VF of enp8s0"])
        guard case .tellUser = netplan.retirement else {
            Issue.record("netplan is reported, not edited")
            return
        }
    }

    /// Hostile text: a name with quotes in a NetworkManager id stays one shell word; huge lines are cut.
    @Test func oddTextIsQuotedAndBounded() {
        let nm = OtherManagerScan.scan(
            OtherManagerFiles(
                texts: ["/etc/NetworkManager/system-connections/x.nmconnection": "[connection]\nid=a'b;rm -rf /\n[sriov]\ntotal-vfs=2\n"],
                enabledUnits: []))
        #expect(nm.first?.retirement == .tellUser("nmcli connection modify 'a'\\''b;rm -rf /' sriov.total-vfs 0 sriov.vfs ''"))
        let long = String(repeating: "9", count: 100_000)
        let unit = OtherManagerScan.scan(
            OtherManagerFiles(
                texts: ["/etc/systemd/system/x.service": "[Service]\nExecStart=/bin/sh -c 'echo \(long) > /sys/class/net/e/device/sriov_numvfs'\n"],
                enabledUnits: ["x.service"]))
        #expect(unit.count == 1 && unit[0].sets[0].count < 200)
    }
}
