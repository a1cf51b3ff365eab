import Foundation
import FuzzTargets
import Testing

/// Every seed and every crash reproducer in Tests/Fixtures/fuzz runs through its harness: a
/// parser that traps on one of them fails this test (the process dies) instead of passing
/// silently. `scripts/fuzz` grows the corpora; fixed crashes are copied here.
@Suite struct FuzzCorpusTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/fuzz")

    @Test(arguments: FuzzTarget.allCases)
    func everyCorpusFileRuns(_ target: FuzzTarget) {
        let files = CorpusFiles.list(Self.root.appendingPathComponent(target.rawValue).path)
        #expect(!files.isEmpty, "Tests/Fixtures/fuzz/\(target.rawValue) has no seeds")
        for file in files { target.run(CorpusFiles.read(file, limit: FuzzTarget.maximumInput)) }
    }

    @Test func everyCorpusFolderIsATarget() throws {
        let folders = try FileManager.default.contentsOfDirectory(atPath: Self.root.path).filter { !$0.hasPrefix(".") && $0 != "README.md" }
        #expect(Set(folders) == Set(FuzzTarget.allCases.map(\.rawValue)))
    }

    /// Each harness reaches past its parser for inputs that should: a harness that stopped early
    /// (or a parser that refused everything) would fuzz nothing.
    @Test func theHarnessesReachWhatTheyClaim() {
        let config = "[[pf]]\nname = \"enp6s0f0\"\nnum-vfs = 7\n[[pf.vf]]\nindex = 0\nmac = \"02:00:00:00:00:10\"\nvm = 100\n"
        #expect(FuzzTarget.config.run(Array(config.utf8)) == .used, "a valid config is planned on the simulated i350")
        #expect(FuzzTarget.config.run(Array("[[pf]]\nname = \"x\"\nnum-vfs = -1\n".utf8)) == .refused)
        #expect(FuzzTarget.toml.run(Array("a = [1, 2]\n".utf8)) == .parsed)
        #expect(FuzzTarget.toml.run(Array("a = [1, 2\n".utf8)) == .refused)
        let trapped = #"{"pfs":[{"name":"x","pci":"0000:01:00.0","driver":"igb","vfDriver":"igbvf","totalVfs":-1}]}"#
        #expect(FuzzTarget.simulatedHost.run(Array(trapped.utf8)) < .used, "a negative totalVfs is refused before use")
        let example = CorpusFiles.read(Self.root.appendingPathComponent("simulated-host/i350-t4-homelab.json").path, limit: 1 << 20)
        #expect(FuzzTarget.simulatedHost.run(example) == .used)
        #expect(FuzzTarget.http.run(Array("GET /metrics HTTP/1.1\r\nHost: x\r\n\r\n".utf8)) == .used)
        #expect(FuzzTarget.http.run(Array("GET /metrics HTTP/1.1\r\nHost: x".utf8)) == .refused, "half a request gets nothing yet")
        let dump = CorpusFiles.read(Self.root.appendingPathComponent("netlink-link/igb-4vfs-dump-stats.bin").path, limit: 1 << 20)
        #expect(FuzzTarget.netlinkLink.run(dump) == .used, "the captured igb dump has VFs")
        let vfs = CorpusFiles.read(Self.root.appendingPathComponent("netlink-vf/vfinfo-list-1.bin").path, limit: 1 << 20)
        #expect(FuzzTarget.netlinkVF.run(vfs) == .used)
        let guest = CorpusFiles.read(Self.root.appendingPathComponent("proxmox/qemu-server_100.conf").path, limit: 1 << 20)
        #expect(FuzzTarget.proxmox.run(guest) == .used, "its hostpci lines name VFs of the simulated i350")
        let uevent = CorpusFiles.read(Self.root.appendingPathComponent("uevent/add-vf.bin").path, limit: 1 << 20)
        #expect(FuzzTarget.uevent.run(uevent) == .parsed)
    }
}
