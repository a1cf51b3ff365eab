import Foundation
import SRIOVCore

/// iproute2's and sysfs's view of a captured host, read from the files the lab wrote next to it.
struct Witness {
    let links: [String: [String: Any]]
    let facts: [String: String]

    init(directory: URL) throws {
        let ip = try JSONSerialization.jsonObject(with: Data(contentsOf: directory.appendingPathComponent("ip-link.json")))
        links = Dictionary(
            uniqueKeysWithValues: ((ip as? [[String: Any]]) ?? []).compactMap { link in
                (link["ifname"] as? String).map { ($0, link) }
            })
        let text = try String(contentsOf: directory.appendingPathComponent("sysfs.txt"), encoding: .utf8)
        facts = Dictionary(
            text.split(separator: "\n").compactMap { line -> (String, String)? in
                guard let eq = line.firstIndex(of: "=") else { return nil }
                return (String(line[..<eq]), String(line[line.index(after: eq)...]))
            }, uniquingKeysWith: { a, _ in a })
    }

    /// A `vfinfo_list` entry in sriovctl's terms; iproute2 leaves out zeros and unreported flags.
    static func settings(_ entry: [String: Any]) -> VFSettings {
        let vlanInfo = (entry["vlan_list"] as? [[String: Any]])?.first ?? [:]
        let rate = entry["rate"] as? [String: Any] ?? [:]
        return VFSettings(
            mac: (entry["address"] as? String).flatMap(MACAddress.init),
            vlan: vlanInfo["vlan"] as? Int ?? 0,
            qos: vlanInfo["qos"] as? Int ?? 0,
            vlanProtocol: (vlanInfo["protocol"] as? String).flatMap(VLANProtocol.init(rawValue:)) ?? .dot1Q,
            spoofCheck: entry["spoofchk"] as? Bool,
            trust: entry["trust"] as? Bool,
            linkState: (entry["link_state"] as? String).flatMap(LinkState.init(rawValue:)),
            minTxRate: rate["min_tx"] as? Int ?? 0,
            maxTxRate: rate["max_tx"] as? Int ?? 0)
    }
}
