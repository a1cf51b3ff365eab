import Foundation
import TestSupport
import Testing

@testable import SRIOVHost

/// Resolving paths inside a `--root` tree: links are followed as the kernel follows them, and one
/// that leads out of the tree (absolute, or `..` above its top) is refused, never followed.
@Suite struct RootedFileSystemTests {
    static let igb = RootedLinuxHostTests.igb

    /// Every path in the captured lab host (sysfs's relative links: `../../../devices/...`)
    /// resolves to where the kernel's own resolution (realpath) takes it.
    @Test func resolvesEveryCapturedPathAsTheKernelDoes() throws {
        let root = try #require(realpath(Self.igb.path, nil)).consumingString()
        let files = RootedFileSystem(root: root)
        // Through links too (`/sys/class/net/eth0/device/virtfn0/...`): breadth first, bounded.
        var pending = ["/"]
        var checked = 0
        while !pending.isEmpty && checked < 3_000 {
            let folder = pending.removeFirst()
            for name in (try? FileManager.default.contentsOfDirectory(atPath: root + folder)) ?? [] {
                let path = (folder == "/" ? "" : folder) + "/" + name
                guard let kernel = realpath(root + path, nil)?.consumingString(), kernel.hasPrefix(root + "/") else { continue }
                #expect(try files.confining(path) == kernel, "\(path)")
                // Read in its folder, resolved once, the path resolves alike.
                #expect(files.machinePath(name, in: files.folder(folder)) == kernel, "\(name) in \(folder)")
                #expect(files.machinePath("x/../" + name, in: files.folder(folder)) == kernel, "x/../\(name) in \(folder)")
                checked += 1
                if path.split(separator: "/").count < 9 { pending.append(path) }
            }
        }
        #expect(checked > 200)
    }

    @Test func followsLinksInsideTheTree() throws {
        let tree = try TemporaryTree()
        try tree.writeLine("sys/devices/pci/0000:01:00.0/sriov_numvfs", "4")
        try tree.link("sys/bus/pci/devices/0000:01:00.0", to: "../../../devices/pci/0000:01:00.0")
        try tree.link("sys/class/net/eth0", to: "../../bus/pci/devices/0000:01:00.0")
        try tree.link("sys/devices/pci/0000:01:00.0/self", to: ".")
        let root = tree.root.path
        let files = RootedFileSystem(root: root)
        #expect(try files.confining("/sys/class/net/eth0/sriov_numvfs") == root + "/sys/devices/pci/0000:01:00.0/sriov_numvfs")
        #expect(try files.confining("/sys/class/net/eth0/self/./self/sriov_numvfs") == root + "/sys/devices/pci/0000:01:00.0/sriov_numvfs")
        #expect(try files.confining("/sys/class/net/eth0/../x") == root + "/sys/devices/pci/x")
        #expect(try files.confining("/sys/class/net/eth0", followLast: false) == root + "/sys/class/net/eth0")
        #expect(try files.confining("/missing/deeper") == root + "/missing/deeper")
        #expect(try files.confining("//sys///class/") == root + "/sys/class")
        #expect(files.readText("/sys/class/net/eth0/sriov_numvfs") == "4")
        #expect(try RootedFileSystem(root: "/").confining("/a/../b") == "/a/../b", "on this machine the kernel resolves")
    }

    @Test func readsInAFolderResolvedOnce() throws {
        let tree = try TemporaryTree()
        try tree.writeLine("sys/devices/pci/0000:01:00.0/net/eth0/mtu", "1500")
        try tree.link("sys/bus/pci/devices/0000:01:00.0", to: "../../../devices/pci/0000:01:00.0")
        try tree.link("sys/devices/pci/0000:01:00.0/driver", to: "../../../bus/pci/drivers/igb")
        try tree.link("sys/devices/pci/0000:01:00.0/out", to: "/etc")
        let files = RootedFileSystem(root: tree.root.path)
        let device = files.folder("/sys/bus/pci/devices/0000:01:00.0")
        #expect(files.readInt("net/eth0/mtu", in: device) == 1500)
        #expect(files.readInt("mtu", in: files.folder("net/eth0", in: device)) == 1500)
        #expect(files.list("net", in: device) == ["eth0"])
        #expect(files.list("", in: device) == ["driver", "net", "out"])
        #expect(files.linkTargetName("driver", in: device) == "igb")
        #expect(files.readText("out/passwd", in: device) == nil)
        #expect(files.escapes.all.map(\.link) == ["/sys/devices/pci/0000:01:00.0/out"])
        #expect(files.readText("../../../../../x", in: device) == nil, "above the root")
        let escaping = files.folder("/sys/devices/pci/0000:01:00.0/out")
        #expect(files.list("", in: escaping).isEmpty && files.readText("passwd", in: escaping) == nil)
        let here = RootedFileSystem(root: "/")
        #expect(here.machinePath("mtu", in: here.folder("/sys/class/net/lo")) == "/sys/class/net/lo/mtu")
    }

    @Test func refusesWhatLeadsOutOfTheTree() throws {
        let tree = try TemporaryTree()
        try tree.link("sys/absolute", to: "/etc")
        try tree.link("sys/up", to: "../../..")
        try tree.link("sys/loop", to: "loop")
        let files = RootedFileSystem(root: tree.root.path)
        #expect(throws: RootEscape(root: tree.root.path, link: "/sys/absolute", target: "/etc")) {
            try files.confining("/sys/absolute/passwd")
        }
        #expect(throws: RootEscape(root: tree.root.path, link: "/sys/up/x", target: "..")) { try files.confining("/sys/up/x") }
        #expect(throws: RootEscape(root: tree.root.path, link: "/../etc", target: "..")) { try files.confining("/../etc") }
        #expect(throws: RootEscape(root: tree.root.path, link: "/sys/loop", target: "(a loop of links)")) {
            try files.confining("/sys/loop")
        }
        #expect(try files.confining("/sys/absolute", followLast: false) == tree.root.path + "/sys/absolute")
        #expect(files.confined("/sys/absolute/passwd") == nil)
        #expect(files.readText("/sys/absolute/passwd") == nil)
    }
}

extension UnsafeMutablePointer<CChar> {
    /// The C string as a String, freeing it.
    fileprivate func consumingString() -> String {
        defer { free(self) }
        return String(cString: self)
    }
}
