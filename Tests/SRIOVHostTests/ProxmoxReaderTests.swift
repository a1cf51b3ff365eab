import Foundation
import SRIOVCore
@testable import SRIOVHost
import Testing

/// A Proxmox host tree: guests from /etc/pve, running from their pid files, the guard in apply.
@Suite struct ProxmoxReaderTests {
    @Test func runningGuestsAreFoundAndGuardTheirVFs() throws {
        let tree = try TemporaryTree()
        try tree.copy(from: RootedLinuxHostTests.igb.appendingPathComponent("sys"), to: "sys")
        try tree.write("etc/hostname", "pve1.example")
        try tree.write("etc/pve/qemu-server/100.conf", "boot: order=scsi0\nhostpci0: 0000:01:10.2,pcie=1\nmemory: 2048")
        try tree.write("etc/pve/qemu-server/101.conf", "hostpci0: mapping=fw")
        try tree.write("etc/pve/mapping/pci.cfg", "fw\n\tmap id=8086:10ca,node=pve1,path=0000:01:10.4")
        try tree.write("var/run/qemu-server/100.pid", "4242")
        try tree.write("proc/4242/comm", "kvm")
        let fs = RootedFileSystem(root: tree.root.path)
        let reader = ProxmoxReader(fs: fs)
        #expect(reader.isProxmox && reader.node == "pve1")
        let host = LinuxHost(fs: fs, links: nil)
        let snapshot = try host.snapshot()
        let ownership = try #require(reader.ownership(of: snapshot))
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
        #expect(ProxmoxReader(fs: RootedFileSystem(root: tree.root.path)).ownership(of: HostSnapshot(pfs: [])) == nil)
    }
}
