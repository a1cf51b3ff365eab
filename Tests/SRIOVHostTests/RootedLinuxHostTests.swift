import Foundation
import Netlink
import SRIOVCore
import TestSupport
import Testing

@testable import SRIOVHost

/// `LinuxHost` reading a host captured in the lab: the real sysfs shapes and the real kernel's
/// netlink bytes, compared field by field with iproute2 and sysfs captured at the same moment.
@Suite struct RootedLinuxHostTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures")
    static let igb = fixtures.appendingPathComponent("lab-igb-4vfs")

    @Test func everyFieldEqualsTheWitnesses() throws {
        let witness = try Witness(directory: Self.igb)
        let snapshot = try LinuxHost(root: Self.igb.path).snapshot()
        let pf = try #require(snapshot.pfs.first)
        #expect(snapshot.pfs.count == 1)
        #expect(pf.pci.description == witness.facts["pf.pci"])
        #expect(pf.name == witness.facts["pf.netdev"])
        #expect(pf.driver == witness.facts["pf.driver"])
        #expect(pf.totalVFs == Int(witness.facts["pf.totalvfs"] ?? ""))
        #expect(pf.numVFs == Int(witness.facts["pf.numvfs"] ?? ""))
        let link = try #require(witness.links[pf.name ?? ""])
        #expect(pf.mac?.description == link["address"] as? String)
        #expect(pf.permanentMAC?.description == (link["permaddr"] as? String ?? link["address"] as? String))
        #expect(pf.mtu == link["mtu"] as? Int)
        #expect(pf.linkUp == ((link["operstate"] as? String) == "UP"))
        let vfinfo = try #require(link["vfinfo_list"] as? [[String: Any]])
        #expect(pf.vfs.count == vfinfo.count)
        for vf in pf.vfs {
            let p = "vf\(vf.index)"
            #expect(vf.pci.description == witness.facts["\(p).pci"])
            #expect(vf.iommuGroup == Int(witness.facts["\(p).iommu_group"] ?? ""))
            #expect(vf.driver == witness.facts["\(p).driver"].flatMap { $0.isEmpty ? nil : $0 })
            #expect(vf.netdev == witness.facts["\(p).netdev"].flatMap { $0.isEmpty ? nil : $0 })
            let entry = try #require(vfinfo.first { $0["vf"] as? Int == vf.index })
            var expected = Witness.settings(entry)
            expected.rssQuery = vf.settings.rssQuery  // iproute2 prints it only when reported
            #expect(vf.settings == expected, "\(p)")
        }
        // The fixture is not trivial: these differ from a freshly created VF.
        #expect(pf.vfs.contains { $0.settings.vlan == 100 } && pf.vfs.contains { $0.driver == "vfio-pci" })
    }

    @Test func igbLeavesRSSQueryUnreported() throws {
        let pf = try #require(try LinuxHost(root: Self.igb.path).snapshot().pfs.first)
        #expect(pf.vfs.allSatisfy { $0.settings.rssQuery == nil })
    }

    @Test func statsDumpDecodesWithZeroCountersFromIgb() throws {
        let bytes = try [UInt8](Data(contentsOf: Self.fixtures.appendingPathComponent("netlink/igb-4vfs-dump-stats.bin")))
        let capture = try NetlinkCapture(decoding: bytes)
        let links = try decodeLinkReply(capture.datagrams, sequence: capture.sequence)
        let eth0 = try #require(links.first { $0.name == "eth0" })
        let vfs = try #require(eth0.vfs)
        #expect(vfs.count == 4)
        #expect(vfs.allSatisfy { $0.stats != nil }, "igb sends IFLA_VF_STATS")
        #expect(vfs.allSatisfy { $0.stats?.rxBytes == 0 && $0.stats?.txPackets == 0 }, "and keeps no per-VF counters")
        #expect(links.contains { $0.name == "lo" })
    }

    @Test func withoutACapturedDumpLinkFactsAreNull() throws {
        let tree = try TemporaryTree()
        try tree.copy(from: Self.igb.appendingPathComponent("sys"), to: "sys")
        let pf = try #require(try LinuxHost(root: tree.root.path).snapshot().pfs.first)
        #expect(pf.numVFs == 4)
        #expect(pf.permanentMAC == nil, "only netlink reports the permanent MAC")
        #expect(pf.mac?.description == "52:54:00:12:34:56", "sysfs still has the current one")
        #expect(pf.vfs.allSatisfy { $0.settings == VFSettings() })
    }

    @Test func aPFWithoutANetdevIsStillAPF() throws {
        let tree = try TemporaryTree()
        let dev = "sys/bus/pci/devices/0000:81:00.0"
        try tree.writeLine("\(dev)/sriov_totalvfs", "64")
        try tree.writeLine("\(dev)/sriov_numvfs", "1")
        try tree.writeLine("\(dev)/vendor", "0x15b3")
        try tree.writeLine("\(dev)/sriov_vf_device", "101e")
        try tree.link("\(dev)/virtfn0", to: "../0000:81:00.1")
        try tree.writeLine("sys/bus/pci/devices/0000:81:00.1/vendor", "0x15b3")
        try tree.link("sys/bus/pci/devices/0000:81:00.1/iommu_group", to: "../../../../kernel/iommu_groups/42")
        try tree.writeLine("sys/bus/pci/devices/0000:06:00.0/vendor", "0x8086")  // no sriov_totalvfs: not a PF
        let snapshot = try LinuxHost(fs: RootedFileSystem(root: tree.root.path), links: nil).snapshot()
        #expect(snapshot.pfs.count == 1)
        let pf = try #require(snapshot.pfs.first)
        #expect(pf.name == nil && pf.driver == nil)
        #expect(pf.vfDeviceID == "15b3:101e")
        #expect(pf.vfs.map(\.pci.description) == ["0000:81:00.1"])
        #expect(pf.vfs.first?.iommuGroup == 42)
        #expect(pf.vfs.first?.driver == nil)
    }

    @Test func aHostWithoutSRIOVHasNoPFs() throws {
        let tree = try TemporaryTree()
        try tree.writeLine("sys/bus/pci/devices/0000:00:1f.6/vendor", "0x8086")
        #expect(try LinuxHost(root: tree.root.path).snapshot().pfs.isEmpty)
    }
}

/// Right after VFs are created the kernel or udev may still be (un)binding one: a driver link
/// that is gone by the time `driver/unbind` is written must not fail the step (the boot unit
/// failed on every boot of a taken-over host this way, issue 26).
@Suite struct UnbindRaceTests {
    func tree(unbind: String?) throws -> TemporaryTree {
        let tree = try TemporaryTree()
        try tree.copy(from: RootedLinuxHostTests.igb.appendingPathComponent("sys"), to: "sys")
        try FileManager.default.createDirectory(
            at: tree.root.appendingPathComponent("sys/bus/pci/drivers/igbvf"), withIntermediateDirectories: true)
        if let unbind { try tree.writeLine("sys/bus/pci/drivers/igbvf/\(unbind)", "") }
        try tree.writeLine("sys/bus/pci/drivers_probe", "")
        return tree
    }

    func reprobe(_ tree: TemporaryTree) throws {
        var host = LinuxHost(fs: RootedFileSystem(root: tree.root.path), links: nil)
        try host.perform(Plan.Step(pf: PCIAddress("0000:01:00.0")!, pfName: "eth0", action: .reprobe(index: 1, driver: "igbvf"), reason: ""))
    }

    func probed(_ tree: TemporaryTree) throws -> String {
        try String(contentsOf: tree.root.appendingPathComponent("sys/bus/pci/drivers_probe"), encoding: .utf8)
    }

    @Test func aDriverGoneBeforeTheUnbindIsBoundToNothing() throws {
        let tree = try tree(unbind: nil)  // the driver's folder is there, its unbind no longer: ENOENT
        try reprobe(tree)
        #expect(try probed(tree) == "0000:01:10.2", "and the VF is probed all the same")
    }

    @Test func aBoundDriverIsUnbound() throws {
        let tree = try tree(unbind: "unbind")
        try reprobe(tree)
        #expect(
            try String(contentsOf: tree.root.appendingPathComponent("sys/bus/pci/drivers/igbvf/unbind"), encoding: .utf8) == "0000:01:10.2")
        #expect(try probed(tree) == "0000:01:10.2")
    }

    @Test func otherUnbindErrorsStillFailTheStep() throws {
        let tree = try tree(unbind: nil)
        try FileManager.default.createDirectory(
            at: tree.root.appendingPathComponent("sys/bus/pci/drivers/igbvf/unbind"), withIntermediateDirectories: true)
        #expect(throws: (any Error).self) { try reprobe(tree) }
        #expect(try probed(tree) == "\n" || (try probed(tree)).isEmpty, "nothing probed after the failure")
    }
}

/// At boot sriovctl.service binds a VF to its host driver before udev has loaded the module:
/// apply loads it for the VF's modalias first, as udev would (lab 58 found drivers_probe binding
/// nothing). The modalias comes from sysfs and is checked before it becomes an argument.
@Suite struct HostDriverModuleTests {
    func bindToHost(modalias: String?) throws -> [[String]] {
        let tree = try TemporaryTree()
        try tree.copy(from: RootedLinuxHostTests.igb.appendingPathComponent("sys"), to: "sys")
        let vf = "sys/bus/pci/devices/0000:01:10.2"
        try FileManager.default.removeItem(at: tree.root.appendingPathComponent("\(vf)/driver"))  // no driver yet
        if let modalias { try tree.writeLine("\(vf)/modalias", modalias) }
        try tree.writeLine("sys/bus/pci/drivers_probe", "")
        var host = LinuxHost(root: tree.root.path)
        try host.perform(
            Plan.Step(pf: PCIAddress("0000:01:00.0")!, pfName: "eth0", action: .bindDriver(index: 1, from: nil, to: .host), reason: ""))
        let log = (try? String(contentsOf: tree.root.appendingPathComponent("run/sriovctl/commands.log"), encoding: .utf8)) ?? ""
        return try log.split(separator: "\n").map { try JSONDecoder().decode([String].self, from: Data($0.utf8)) }
    }

    @Test func theVFsModuleIsLoadedForItsModaliasBeforeTheProbe() throws {
        let alias = "pci:v00008086d00001520sv00008086sd00000001bc02sc00i00"
        #expect(try bindToHost(modalias: alias) == [["modprobe", "-b", "-q", alias]])
    }

    @Test(arguments: ["pci:v0000;reboot", "usb:v1234", "pci:v" + String(repeating: "0", count: 200), "-r pci:v1"])
    func aModaliasThatIsNotOneIsNeverPassedOn(_ alias: String) throws {
        #expect(!LinuxHost.isPCIModalias(alias))
        #expect(try bindToHost(modalias: alias).isEmpty)
    }

    @Test func withoutAModaliasNothingRuns() throws {
        #expect(try bindToHost(modalias: nil).isEmpty)
    }
}
