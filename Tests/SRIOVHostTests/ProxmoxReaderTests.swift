import Foundation
import SRIOVCore
import TestSupport
import Testing

@testable import SRIOVHost

/// A Proxmox host tree: guests from /etc/pve, running from their pid files, the guard in apply.
@Suite struct ProxmoxReaderTests {
    @Test func anEmptyEtcPVEIsTheMountPointBeforePmxcfs() throws {
        let tree = try TemporaryTree()
        try FileManager.default.createDirectory(at: tree.root.appendingPathComponent("etc/pve"), withIntermediateDirectories: true)
        let reader = ProxmoxReader(fs: RootedFileSystem(root: tree.root.path))
        #expect(reader.isProxmox && !reader.isMounted)
        try tree.write("etc/pve/.version", "1")
        #expect(reader.isMounted)
    }

    @Test func runningGuestsAreFoundAndGuardTheirVFs() throws {
        let tree = try TemporaryTree()
        try tree.copy(from: RootedLinuxHostTests.igb.appendingPathComponent("sys"), to: "sys")
        try tree.writeLine("etc/hostname", "pve1.example")
        try tree.writeLine("etc/pve/qemu-server/100.conf", "boot: order=scsi0\nhostpci0: 0000:01:10.2,pcie=1\nmemory: 2048")
        try tree.writeLine("etc/pve/qemu-server/101.conf", "hostpci0: mapping=fw")
        try tree.writeLine("etc/pve/mapping/pci.cfg", "fw\n\tmap id=8086:10ca,node=pve1,path=0000:01:10.4")
        try tree.writeLine("var/run/qemu-server/100.pid", "4242")
        try tree.writeLine("proc/4242/comm", "kvm")
        let fs = RootedFileSystem(root: tree.root.path)
        let reader = ProxmoxReader(fs: fs)
        #expect(reader.isProxmox && reader.node == "pve1")
        let host = LinuxHost(fs: fs, links: nil)
        let snapshot = try host.snapshot()
        let ownership = try #require(host.ownership(of: snapshot))
        #expect(ownership.owner(of: PCIAddress("0000:01:10.2")!)?.vmid == 100)
        #expect(ownership.owner(of: PCIAddress("0000:01:10.2")!)?.running == true)
        #expect(ownership.owner(of: PCIAddress("0000:01:10.4")!)?.vmid == 101)
        #expect(ownership.owner(of: PCIAddress("0000:01:10.4")!)?.running == false)
        let pf = try #require(snapshot.pfs.first)
        let holders = host.holders(of: pf.vfs, on: pf)
        #expect(holders.map(\.description) == ["eth0 VF 1 (0000:01:10.2) is in use: VM 100 is running with it (hostpci0)"])
    }

    @Test func notProxmoxMeansNoOwnership() throws {
        let tree = try TemporaryTree()
        #expect(LinuxHost(fs: RootedFileSystem(root: tree.root.path), links: nil).ownership(of: HostSnapshot(pfs: [])) == nil)
    }
}

/// Records every command instead of running it; answers from a table.
final class RecordingRunner: CommandRunning, @unchecked Sendable {
    var commands: [[String]] = []
    var answers: [String: CommandResult] = [:]

    func run(_ argv: [String]) throws -> CommandResult {
        commands.append(argv)
        return answers[argv.joined(separator: " ")] ?? CommandResult(status: 0)
    }
}

/// The exact argv LinuxHost hands Proxmox's tools, on the host captured in the lab. (A host made
/// with a runner runs programs through it: this is the real machine's path, with a stand-in.)
@Suite struct ProxmoxCommandTests {
    func host() throws -> (LinuxHost, RecordingRunner, PCIAddress) {
        let runner = RecordingRunner()
        let host = LinuxHost(fs: RootedFileSystem(root: RootedLinuxHostTests.igb.path), links: nil, runner: runner)
        return (host, runner, PCIAddress("0000:01:00.0")!)
    }

    @Test func assignmentGoesThroughQmSet() throws {
        var (host, runner, pf) = try host()
        try host.perform(Plan.Step(pf: pf, pfName: "eth0", action: .assignToVM(index: 1, vm: 100, slot: 2, pcie: true, oldSlot: 5), reason: ""))
        try host.perform(
            Plan.Step(pf: pf, pfName: "eth0", action: .assignToVM(index: 0, vm: 101, slot: 0, pcie: false, oldSlot: nil, mapping: "fw"), reason: ""))
        #expect(
            runner.commands == [
                ["qm", "set", "100", "--delete", "hostpci5", "--hostpci2", "host=0000:01:10.2,pcie=1"],
                ["qm", "set", "101", "--hostpci0", "mapping=fw"],
            ])
    }

    @Test func mappingsGoThroughPveshWithLiveGroups() throws {
        var (host, runner, pf) = try host()
        let members = [MappingMember(pf: pf, index: 1), MappingMember(pf: pf, index: 3)]
        try host.perform(
            Plan.Step(
                pf: pf, pfName: "eth0",
                action: .syncMapping(
                    id: "fw", node: "pve1", members: members,
                    otherNodes: ["node=pve2,path=0000:41:10.0"], exists: true), reason: ""))
        try host.perform(
            Plan.Step(
                pf: pf, pfName: "eth0",
                action: .syncMapping(
                    id: "new", node: "pve1", members: [members[0]],
                    otherNodes: [], exists: false), reason: ""))
        #expect(
            runner.commands == [
                [
                    "pvesh", "set", "/cluster/mapping/pci/fw", "--map", "node=pve2,path=0000:41:10.0",
                    "--map", "id=8086:10ca,iommugroup=6,node=pve1,path=0000:01:10.2", "--map",
                    "id=8086:10ca,iommugroup=8,node=pve1,path=0000:01:10.6",
                ],
                ["pvesh", "create", "/cluster/mapping/pci", "--id", "new", "--map", "id=8086:10ca,iommugroup=6,node=pve1,path=0000:01:10.2"],
            ])
    }

    @Test func aRefusedQmIsNamed() throws {
        var (host, runner, pf) = try host()
        runner.answers["qm set 100 --hostpci0 host=0000:01:10.0"] = CommandResult(status: 2, errorOutput: "VM 100 is locked (backup)")
        #expect(
            throws: StepFailure(
                pf: "eth0",
                items: [
                    .init(
                        vf: 0, setting: "vm",
                        message: "qm set 100 --hostpci0 host=0000:01:10.0: exited 2: VM 100 is locked (backup)")
                ])
        ) {
            try host.perform(
                Plan.Step(pf: pf, pfName: "eth0", action: .assignToVM(index: 0, vm: 100, slot: 0, pcie: false, oldSlot: nil), reason: ""))
        }
    }
}
