import Foundation
import Logging
import Netlink
import SRIOVHost
import TestSupport
import Testing

@testable import SRIOVEngine

/// Which forwarding-table events wake `watch`: only those on PFs that sync and the bridges over
/// them; none at all when nothing syncs (a Proxmox bridge learns MACs all day).
@Suite struct WatchedLinksTests {
    static let homelab = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("examples/i350-t4-homelab.json").path

    func selection(_ config: String) throws -> (HostSelection, TemporaryTree) {
        let tree = try TemporaryTree()
        let path = tree.root.appendingPathComponent("sriovctl.toml").path
        try config.write(toFile: path, atomically: true, encoding: .utf8)
        return (HostSelection(simulate: Self.homelab, simulateState: tree.root.appendingPathComponent("state").path, config: path), tree)
    }

    @Test func thePFAndItsBridgeAreWatchedOnlyWithTheKey() throws {
        let (on, keep) = try selection("[[pf]]\nname = \"enp6s0f0\"\nnum-vfs = 0\nsync-bridge-fdb = true\n")
        // The simulated host numbers its PFs first (enp6s0f0 is 1), then the description's links (vmbr0 is 5).
        #expect(ForwardingPlanning.watchedLinks(on: on) == [1, 5])
        let (off, keepToo) = try selection("[[pf]]\nname = \"enp6s0f0\"\nnum-vfs = 0\n")
        #expect(ForwardingPlanning.watchedLinks(on: off).isEmpty)
        withExtendedLifetime((keep, keepToo)) {}
    }

    /// The watcher takes the links from its check, which read them for the plan: the same set
    /// as reading the host again, and none when nothing syncs.
    @Test func aCheckReportsTheLinksItRead() throws {
        let logger = Logger(label: "test") { _ in SwiftLogNoOpLogHandler() }
        let (on, keep) = try selection("[[pf]]\nname = \"enp6s0f0\"\nnum-vfs = 0\nsync-bridge-fdb = true\n")
        #expect(Watcher(selection: on, settle: 0, logger: logger).check() == [1, 5])
        #expect(try ApplyUseCase.run(ApplyRequest(trigger: .watch), on: on, logger: logger).watchedLinks == [1, 5], "and again, settled")
        let (off, keepToo) = try selection("[[pf]]\nname = \"enp6s0f0\"\nnum-vfs = 0\n")
        #expect(Watcher(selection: off, settle: 0, logger: logger).check() == [])
        let (broken, keepThree) = try selection("[[pf]]\nname = 1\n")
        #expect(Watcher(selection: broken, settle: 0, logger: logger).check() == nil, "a failed check says nothing")
        withExtendedLifetime((keep, keepToo, keepThree)) {}
    }

    @Test func eventsOnOtherLinksAreSkipped() {
        let learned = { (index: Int32, master: Int32?) in
            KernelEventSource.links(
                of: [FDBEvent(added: true, entry: FDBEntry(index: index, state: 2, flags: 0, mac: [2, 0, 0, 0, 0, 1], master: master))])
        }
        #expect(Watcher.concerns(links: learned(7, 5), [1, 5]), "a MAC learned on a port of a watched bridge")
        #expect(Watcher.concerns(links: learned(1, nil), [1, 5]), "the PF's own table changed")
        #expect(!Watcher.concerns(links: learned(7, 9), [1, 5]), "another bridge")
        #expect(!Watcher.concerns(links: learned(7, 5), []), "nothing syncs")
    }
}
