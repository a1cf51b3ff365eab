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
