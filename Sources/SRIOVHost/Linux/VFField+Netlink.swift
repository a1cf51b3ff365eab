import Netlink
import SRIOVCore

extension VFField {
    /// Puts this field of `s` in a VF change (its IFLA_VF_* attribute). A port VLAN goes with its
    /// QoS and protocol (IFLA_VF_VLAN_LIST), a rate with the other rate (IFLA_VF_RATE).
    func netlink(_ s: VFSettings, into c: inout VFChange) {
        switch self {
        case .mac: c.mac = s.mac?.bytes
        case .vlan: c.vlan = s.vlan.map { (UInt32($0), UInt32(s.qos ?? 0), (s.vlanProtocol ?? .dot1Q).etherType) }
        case .qos, .vlanProtocol: break
        case .minTxRate, .maxTxRate:
            if s.minTxRate != nil || s.maxTxRate != nil { c.rate = (UInt32(s.minTxRate ?? 0), UInt32(s.maxTxRate ?? 0)) }
        case .spoofCheck: c.spoofCheck = s.spoofCheck
        case .trust: c.trust = s.trust
        case .rssQuery: c.rssQueryEnabled = s.rssQuery
        case .linkState:
            c.linkState = s.linkState.map { state in
                switch state {
                case .auto: 0
                case .enable: 1
                case .disable: 2
                }
            }
        }
    }
}

extension VFSettings {
    /// The settings a PF reports for one VF; what it leaves out stays nil.
    init(_ info: VFInfo) {
        self.init(
            mac: info.mac.flatMap(MACAddress.init(bytes:)),
            vlan: info.vlan.map(Int.init),
            qos: info.qos.map(Int.init),
            vlanProtocol: Self.vlanProtocol(info),
            spoofCheck: info.spoofCheck,
            trust: info.trust,
            linkState: info.linkState.flatMap { state in
                switch state {
                case 0: .auto
                case 1: .enable
                case 2: .disable
                default: nil
                }
            },
            minTxRate: info.minTxRate.map(Int.init),
            maxTxRate: (info.maxTxRate ?? info.txRate).map(Int.init),
            rssQuery: info.rssQueryEnabled)
    }

    private static func vlanProtocol(_ info: VFInfo) -> VLANProtocol? {
        if let etherType = info.vlanProtocol { return VLANProtocol(etherType: etherType) }
        // Kernels without IFLA_VF_VLAN_LIST (before 4.9) only do 802.1Q port VLANs.
        return info.vlan != nil ? .dot1Q : nil
    }
}
