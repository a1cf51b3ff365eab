import Foundation
import Testing

@testable import Netlink

/// The RTM_GETLINK dump a real igb driver sent in the lab (Tests/Fixtures/lab-igb-4vfs), decoded
/// by our codec and compared, field by field, with what iproute2 printed for the same host at the
/// same moment (`ip -j -d link show`, ip-link.json beside it).
@Suite struct CapturedIgbDumpTests {
    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/lab-igb-4vfs")

    /// The capture file: "SRNL", the request's sequence, then each datagram as a little-endian
    /// u32 length and its bytes (read here on its own, from the bytes).
    func links() throws -> [LinkInfo] {
        let bytes = [UInt8](try Data(contentsOf: Self.fixture.appendingPathComponent("run/sriovctl/netlink-dump.bin")))
        func le32(_ i: Int) -> Int { Int(bytes[i]) | Int(bytes[i + 1]) << 8 | Int(bytes[i + 2]) << 16 | Int(bytes[i + 3]) << 24 }
        #expect(Array(bytes[0..<4]) == Array("SRNL".utf8))
        var collector = ReplyCollector(sequence: UInt32(le32(4)), portID: 0)
        var offset = 8
        while offset < bytes.count {
            let length = le32(offset)
            try collector.consume(Array(bytes[(offset + 4)..<(offset + 4 + length)]))
            offset += 4 + length
        }
        #expect(collector.finished, "the dump ends with NLMSG_DONE")
        return collector.links
    }

    func witness() throws -> [[String: Any]] {
        try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: Self.fixture.appendingPathComponent("ip-link.json"))) as? [[String: Any]])
    }

    static func mac(_ bytes: [UInt8]?) -> String? { bytes.map { $0.map { String(format: "%02x", $0) }.joined(separator: ":") } }

    @Test func everyLinkAsIproute2SawIt() throws {
        let decoded = try links()
        let seen = try witness()
        #expect(decoded.map(\.name) == seen.map { $0["ifname"] as? String })
        for (link, ip) in zip(decoded, seen) {
            #expect(Int(link.index) == ip["ifindex"] as? Int, "\(link.name ?? "?")")
            #expect(link.mtu.map(Int.init) == ip["mtu"] as? Int, "\(link.name ?? "?")")
            #expect(Self.mac(link.address) == ip["address"] as? String, "\(link.name ?? "?")")
            if let permanent = ip["permaddr"] as? String { #expect(Self.mac(link.permanentAddress) == permanent) }
        }
    }

    @Test func theIgbPFsVFsAsIproute2SawThem() throws {
        let pf = try #require(try links().first { $0.name == "eth0" })
        let seen = try #require(try witness().first { $0["ifname"] as? String == "eth0" })
        let vfs = try #require(seen["vfinfo_list"] as? [[String: Any]])
        let decoded = try #require(pf.vfs)
        #expect(decoded.count == vfs.count && vfs.count == 4)
        #expect(pf.numVFs.map(Int.init) == vfs.count)
        for (vf, ip) in zip(decoded, vfs) {
            #expect(Int(vf.vf) == ip["vf"] as? Int)
            #expect(Self.mac(vf.mac) == ip["address"] as? String, "VF \(vf.vf)")
            let vlan = (ip["vlan_list"] as? [[String: Any]])?.first
            #expect(Int(vf.vlan ?? 0) == (vlan?["vlan"] as? Int ?? 0), "VF \(vf.vf) vlan")
            #expect(Int(vf.qos ?? 0) == (vlan?["qos"] as? Int ?? 0), "VF \(vf.vf) qos")
            #expect(vf.spoofCheck == ip["spoofchk"] as? Bool, "VF \(vf.vf) spoofchk")
            #expect(vf.trust == ip["trust"] as? Bool, "VF \(vf.vf) trust")
            let state = ["auto", "enable", "disable"][Int(vf.linkState ?? 0)]
            #expect(state == ip["link_state"] as? String, "VF \(vf.vf) link state")
            let rate = try #require(ip["rate"] as? [String: Int])
            #expect(Int(vf.maxTxRate ?? 0) == rate["max_tx"] && Int(vf.minTxRate ?? 0) == rate["min_tx"], "VF \(vf.vf) rates")
        }
    }
}
