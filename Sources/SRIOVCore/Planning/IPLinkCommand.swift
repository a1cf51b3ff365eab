/// The iproute2 command that makes the same VF change sriovctl sends over netlink: what a host
/// tree (`--root`) records, and what a person can run by hand.
public enum IPLinkCommand {
    public static func vf(pf: String, index: Int, _ s: VFSettings) -> [String] {
        ["ip", "link", "set", "dev", pf, "vf", "\(index)"] + VFField.allCases.flatMap { $0.ipLinkWords(in: s) }
    }
}
