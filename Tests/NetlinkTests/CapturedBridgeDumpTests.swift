import Foundation
import Testing

@testable import Netlink

/// The forwarding-table dump (RTM_GETNEIGH, AF_BRIDGE) and the link dump the lab's kernel sent
/// with br0 over the igb PF, a veth port and a PF entry added by sriovctl (lab scenario
/// 85-bridge-fdb), decoded by our codec and compared with what iproute2 printed at the same moment
/// (`bridge -j fdb show`, `ip -d -j link show`).
@Suite struct CapturedBridgeDumpTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/netlink")

    static func capture(_ name: String) throws -> (sequence: UInt32, datagrams: [[UInt8]]) {
        let bytes = [UInt8](try Data(contentsOf: folder.appendingPathComponent(name)))
        func le32(_ i: Int) -> Int { Int(bytes[i]) | Int(bytes[i + 1]) << 8 | Int(bytes[i + 2]) << 16 | Int(bytes[i + 3]) << 24 }
        var datagrams: [[UInt8]] = []
        var offset = 8
        while offset < bytes.count {
            let length = le32(offset)
            datagrams.append(Array(bytes[(offset + 4)..<(offset + 4 + length)]))
            offset += 4 + length
        }
        return (UInt32(le32(4)), datagrams)
    }

    static func witness(_ name: String) throws -> [[String: Any]] {
        try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent(name))) as? [[String: Any]])
    }

    static func mac(_ bytes: [UInt8]) -> String { bytes.map { String(format: "%02x", $0) }.joined(separator: ":") }

    func links() throws -> [LinkInfo] {
        let (sequence, datagrams) = try Self.capture("lab-bridge-link-dump.bin")
        return try decodeLinkReply(datagrams, sequence: sequence)
    }

    @Test func bridgePortsAndKindsAsIproute2SawThem() throws {
        let decoded = try links()
        let byIndex = Dictionary(uniqueKeysWithValues: decoded.map { ($0.index, $0) })
        let seen = try Self.witness("lab-bridge-link-witness.json")
        #expect(decoded.map(\.name) == seen.map { $0["ifname"] as? String })
        for (link, shown) in zip(decoded, seen) {
            let master = link.master.flatMap { byIndex[$0]?.name }
            #expect(master == shown["master"] as? String, "\(link.name ?? "?") master")
            let kind = (shown["linkinfo"] as? [String: Any])?["info_kind"] as? String
            #expect(link.kind == kind, "\(link.name ?? "?") kind")
        }
        #expect(decoded.contains { $0.kind == "bridge" } && decoded.contains { $0.kind == "veth" }, "the capture has a bridge and a veth")
    }

    @Test func everyForwardingEntryAsIproute2SawIt() throws {
        let names = Dictionary(uniqueKeysWithValues: try links().map { ($0.index, $0.name ?? "") })
        let (sequence, datagrams) = try Self.capture("lab-bridge-fdb-dump.bin")
        let decoded = try decodeFDBReply(datagrams, sequence: sequence)
        func key(mac: String, device: String, master: String?, isSelf: Bool, state: String, vlan: Int?) -> String {
            "\(mac) \(device) \(master ?? "-") \(isSelf ? "self" : "") \(state) \(vlan.map(String.init) ?? "-")"
        }
        let ours = decoded.map { e in
            // iproute2 names the state: permanent, static (noarp), stale; nothing for reachable.
            let state =
                e.state & NeighbourBits.statePermanent != 0
                ? "permanent" : e.state & NeighbourBits.stateNoARP != 0 ? "static" : e.state & NeighbourBits.stateStale != 0 ? "stale" : ""
            return key(
                mac: Self.mac(e.mac), device: names[e.index] ?? "?", master: e.master.flatMap { names[$0] },
                isSelf: e.flags & NeighbourBits.flagSelf != 0, state: state, vlan: e.vlan.map(Int.init))
        }
        let theirs = try Self.witness("lab-bridge-fdb-witness.json").map { e in
            key(
                mac: e["mac"] as? String ?? "", device: e["ifname"] as? String ?? "", master: e["master"] as? String,
                isSelf: (e["flags"] as? [String] ?? []).contains("self"), state: e["state"] as? String ?? "", vlan: e["vlan"] as? Int)
        }
        #expect(ours.sorted() == theirs.sorted())
        #expect(decoded.contains { $0.isSelf && Self.mac($0.mac) == "02:00:00:00:00:99" }, "sriovctl's entry on the PF, self")
        #expect(decoded.contains { $0.master != nil && $0.vlan == 1 }, "a VLAN-tagged bridge entry")
    }
}
