/// How a VF's link follows the PF's (`IFLA_VF_LINK_STATE`).
public enum LinkState: String, Sendable, CaseIterable, Codable {
    case auto, enable, disable
}

/// The VLAN tag protocol of a VF's port VLAN.
public enum VLANProtocol: String, Sendable, CaseIterable, Codable {
    case dot1Q = "802.1Q"
    case dot1ad = "802.1ad"

    /// The EtherType the kernel uses for it (ETH_P_8021Q, ETH_P_8021AD).
    public var etherType: UInt16 {
        switch self {
        case .dot1Q: 0x8100
        case .dot1ad: 0x88a8
        }
    }

    public init?(etherType: UInt16) {
        switch etherType {
        case 0x8100: self = .dot1Q
        case 0x88a8: self = .dot1ad
        default: return nil
        }
    }
}

/// A VF's settings as its PF reports them. `nil` means the kernel or the driver did not report it.
public struct VFSettings: Hashable, Sendable {
    public var mac: MACAddress?
    public var vlan: Int?
    public var qos: Int?
    public var vlanProtocol: VLANProtocol?
    public var spoofCheck: Bool?
    public var trust: Bool?
    public var linkState: LinkState?
    public var minTxRate: Int?
    public var maxTxRate: Int?
    public var rssQuery: Bool?

    public init(
        mac: MACAddress? = nil, vlan: Int? = nil, qos: Int? = nil, vlanProtocol: VLANProtocol? = nil,
        spoofCheck: Bool? = nil, trust: Bool? = nil, linkState: LinkState? = nil,
        minTxRate: Int? = nil, maxTxRate: Int? = nil, rssQuery: Bool? = nil
    ) {
        self.mac = mac
        self.vlan = vlan
        self.qos = qos
        self.vlanProtocol = vlanProtocol
        self.spoofCheck = spoofCheck
        self.trust = trust
        self.linkState = linkState
        self.minTxRate = minTxRate
        self.maxTxRate = maxTxRate
        self.rssQuery = rssQuery
    }

    /// What a VF the kernel just created reports: all-zero MAC, untagged, spoof checking on.
    public static let freshlyCreated = VFSettings(
        mac: .zero, vlan: 0, qos: 0, vlanProtocol: .dot1Q, spoofCheck: true, trust: false,
        linkState: .auto, minTxRate: 0, maxTxRate: 0, rssQuery: false)
}
