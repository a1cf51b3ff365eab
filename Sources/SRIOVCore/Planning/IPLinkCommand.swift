/// The iproute2 command that makes the same VF change sriovctl sends over netlink: what a host
/// tree (`--root`) records, and what a person can run by hand.
public enum IPLinkCommand {
    public static func vf(pf: String, index: Int, _ s: VFSettings) -> [String] {
        var argv = ["ip", "link", "set", "dev", pf, "vf", "\(index)"]
        if let mac = s.mac { argv += ["mac", mac.description] }
        if let vlan = s.vlan {
            argv += ["vlan", "\(vlan)", "qos", "\(s.qos ?? 0)", "proto", (s.vlanProtocol ?? .dot1Q).rawValue]
        }
        if let v = s.minTxRate { argv += ["min_tx_rate", "\(v)"] }
        if let v = s.maxTxRate { argv += ["max_tx_rate", "\(v)"] }
        if let v = s.spoofCheck { argv += ["spoofchk", v ? "on" : "off"] }
        if let v = s.trust { argv += ["trust", v ? "on" : "off"] }
        if let v = s.linkState { argv += ["state", v.rawValue] }
        return argv
    }
}
