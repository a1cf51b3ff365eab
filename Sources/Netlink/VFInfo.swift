/// `IFLA_VF_STATS`: a VF's counters as its PF's driver keeps them.
public struct VFStats: Equatable, Sendable {
    public var rxPackets: UInt64 = 0
    public var txPackets: UInt64 = 0
    public var rxBytes: UInt64 = 0
    public var txBytes: UInt64 = 0
    public var broadcast: UInt64 = 0
    public var multicast: UInt64 = 0
    /// Only kernels from 4.19 on report drops.
    public var rxDropped: UInt64?
    public var txDropped: UInt64?

    public init() {}
}

/// One `IFLA_VF_INFO`: everything the PF reports about one VF. `nil` means the attribute was absent
/// or the driver left it at the kernel's "not reported" value (all ones).
public struct VFInfo: Equatable, Sendable {
    public var vf: UInt32
    public var mac: [UInt8]?
    public var broadcast: [UInt8]?
    public var vlan: UInt32?
    public var qos: UInt32?
    /// EtherType of the VLAN protocol (0x8100, 0x88a8), from `IFLA_VF_VLAN_LIST`.
    public var vlanProtocol: UInt16?
    /// The legacy `IFLA_VF_TX_RATE` (max rate only).
    public var txRate: UInt32?
    public var minTxRate: UInt32?
    public var maxTxRate: UInt32?
    public var spoofCheck: Bool?
    public var linkState: UInt32?
    public var trust: Bool?
    public var rssQueryEnabled: Bool?
    public var stats: VFStats?

    public init(vf: UInt32) { self.vf = vf }
}

/// `struct ifla_vf_mac` and `ifla_vf_broadcast` carry 32 bytes of which Ethernet uses 6.
package let vfAddressFieldSize = 32
/// The value drivers leave in `spoofchk`, `trusted` and `rss_query_en` when they don't report it.
let notReported = UInt32.max

func decodeVFInfo(_ bytes: [UInt8], _ info: Attribute) throws -> VFInfo {
    var vf: UInt32?
    var result = VFInfo(vf: 0)
    for a in try attributes(in: bytes, from: info.payloadStart, to: info.payloadEnd, context: "IFLA_VF_INFO") {
        // Every struct starts with `__u32 vf`; we take the VF number from whichever comes first.
        switch a.type {
        case VFAttribute.mac:
            try a.require(4 + 6, "IFLA_VF_MAC")
            vf = vf ?? bytes.u32(at: a.payloadStart)
            result.mac = Array(bytes[(a.payloadStart + 4)..<(a.payloadStart + 10)])
        case VFAttribute.broadcast:
            try a.require(6, "IFLA_VF_BROADCAST")
            result.broadcast = Array(bytes[a.payloadStart..<(a.payloadStart + 6)])
        case VFAttribute.vlan:
            try a.require(12, "IFLA_VF_VLAN")
            vf = vf ?? bytes.u32(at: a.payloadStart)
            // IFLA_VF_VLAN_LIST, when present, is more precise; it never disagrees on vlan/qos.
            if result.vlan == nil {
                result.vlan = bytes.u32(at: a.payloadStart + 4)
                result.qos = bytes.u32(at: a.payloadStart + 8)
            }
        case VFAttribute.vlanList:
            for entry in try attributes(
                in: bytes, from: a.payloadStart, to: a.payloadEnd,
                context: "IFLA_VF_VLAN_LIST") where entry.type == VFAttribute.vlanInfo
            {
                try entry.require(14, "IFLA_VF_VLAN_INFO")
                vf = vf ?? bytes.u32(at: entry.payloadStart)
                result.vlan = bytes.u32(at: entry.payloadStart + 4)
                result.qos = bytes.u32(at: entry.payloadStart + 8)
                // __be16 vlan_proto: network byte order, unlike everything around it.
                result.vlanProtocol = UInt16(bytes[entry.payloadStart + 12]) << 8 | UInt16(bytes[entry.payloadStart + 13])
                break
            }
        case VFAttribute.txRate:
            try a.require(8, "IFLA_VF_TX_RATE")
            result.txRate = bytes.u32(at: a.payloadStart + 4)
        case VFAttribute.rate:
            try a.require(12, "IFLA_VF_RATE")
            vf = vf ?? bytes.u32(at: a.payloadStart)
            result.minTxRate = bytes.u32(at: a.payloadStart + 4)
            result.maxTxRate = bytes.u32(at: a.payloadStart + 8)
        case VFAttribute.spoofCheck:
            result.spoofCheck = try setting(bytes, a, "IFLA_VF_SPOOFCHK")
        case VFAttribute.linkState:
            try a.require(8, "IFLA_VF_LINK_STATE")
            result.linkState = bytes.u32(at: a.payloadStart + 4)
        case VFAttribute.trust:
            result.trust = try setting(bytes, a, "IFLA_VF_TRUST")
        case VFAttribute.rssQueryEnabled:
            result.rssQueryEnabled = try setting(bytes, a, "IFLA_VF_RSS_QUERY_EN")
        case VFAttribute.stats:
            result.stats = try decodeVFStats(bytes, a)
        default:
            continue  // IB GUIDs and attributes newer than this code
        }
    }
    result.vf = vf ?? 0
    return result
}

/// `struct { __u32 vf; __u32 setting; }`, where all ones means "the driver does not say".
private func setting(_ bytes: [UInt8], _ a: Attribute, _ what: String) throws -> Bool? {
    try a.require(8, what)
    let value = bytes.u32(at: a.payloadStart + 4)
    return value == notReported ? nil : value != 0
}

private func decodeVFStats(_ bytes: [UInt8], _ a: Attribute) throws -> VFStats {
    var stats = VFStats()
    for s in try attributes(in: bytes, from: a.payloadStart, to: a.payloadEnd, context: "IFLA_VF_STATS") {
        guard s.type != VFStatsAttribute.pad else { continue }
        try s.require(8, "IFLA_VF_STATS attribute \(s.type)")
        let value = bytes.u64(at: s.payloadStart)
        switch s.type {
        case VFStatsAttribute.rxPackets: stats.rxPackets = value
        case VFStatsAttribute.txPackets: stats.txPackets = value
        case VFStatsAttribute.rxBytes: stats.rxBytes = value
        case VFStatsAttribute.txBytes: stats.txBytes = value
        case VFStatsAttribute.broadcast: stats.broadcast = value
        case VFStatsAttribute.multicast: stats.multicast = value
        case VFStatsAttribute.rxDropped: stats.rxDropped = value
        case VFStatsAttribute.txDropped: stats.txDropped = value
        default: continue
        }
    }
    return stats
}
