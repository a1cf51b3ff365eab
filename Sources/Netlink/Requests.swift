/// The settings to change on one VF. Only non-nil fields are sent.
public struct VFChange: Equatable, Sendable {
    public var vf: UInt32
    public var mac: [UInt8]?
    /// VLAN id, QoS and the protocol's EtherType; 802.1ad needs `IFLA_VF_VLAN_LIST`.
    public var vlan: (id: UInt32, qos: UInt32, protocol: UInt16)?
    public var rate: (min: UInt32, max: UInt32)?
    public var spoofCheck: Bool?
    public var linkState: UInt32?
    public var trust: Bool?
    public var rssQueryEnabled: Bool?

    public init(vf: UInt32) { self.vf = vf }

    public var isEmpty: Bool {
        mac == nil && vlan == nil && rate == nil && spoofCheck == nil && linkState == nil && trust == nil
            && rssQueryEnabled == nil
    }

    public static func == (lhs: VFChange, rhs: VFChange) -> Bool {
        lhs.vf == rhs.vf && lhs.mac == rhs.mac && lhs.vlan?.id == rhs.vlan?.id && lhs.vlan?.qos == rhs.vlan?.qos
            && lhs.vlan?.protocol == rhs.vlan?.protocol && lhs.rate?.min == rhs.rate?.min
            && lhs.rate?.max == rhs.rate?.max && lhs.spoofCheck == rhs.spoofCheck && lhs.linkState == rhs.linkState
            && lhs.trust == rhs.trust && lhs.rssQueryEnabled == rhs.rssQueryEnabled
    }
}

/// Builders for the requests sriovctl sends. Each returns the exact bytes of one message.
public enum LinkRequest {
    static let ethernetEtherType8021Q: UInt16 = 0x8100

    /// `RTM_GETLINK` dump of every link, with VF information; stats only when asked for.
    public static func dump(sequence: UInt32, withStats: Bool) -> [UInt8] {
        buildMessage(type: MessageType.getLink, flags: MessageFlags.request | MessageFlags.dump, sequence: sequence) { w in
            ifinfo(&w, index: 0)
            w.attribute(LinkAttribute.extMask, u32: extMask(withStats: withStats))
        }
    }

    /// `RTM_GETLINK` for one link by index, with VF information.
    public static func get(index: Int32, sequence: UInt32, withStats: Bool) -> [UInt8] {
        buildMessage(type: MessageType.getLink, flags: MessageFlags.request, sequence: sequence) { w in
            ifinfo(&w, index: index)
            w.attribute(LinkAttribute.extMask, u32: extMask(withStats: withStats))
        }
    }

    /// `RTM_GETLINK` for one link by name, with VF information.
    public static func get(name: String, sequence: UInt32, withStats: Bool) -> [UInt8] {
        buildMessage(type: MessageType.getLink, flags: MessageFlags.request, sequence: sequence) { w in
            ifinfo(&w, index: 0)
            w.attribute(LinkAttribute.ifname, Array(name.utf8) + [0])
            w.attribute(LinkAttribute.extMask, u32: extMask(withStats: withStats))
        }
    }

    /// One `RTM_SETLINK` carrying every change for every listed VF of the link `index`, acknowledged.
    public static func setVFs(index: Int32, changes: [VFChange], sequence: UInt32) -> [UInt8] {
        buildMessage(type: MessageType.setLink, flags: MessageFlags.request | MessageFlags.ack, sequence: sequence) { w in
            ifinfo(&w, index: index)
            w.nested(LinkAttribute.vfInfoList) { list in
                for change in changes where !change.isEmpty {
                    list.nested(VFAttribute.info) { info in encode(change, into: &info) }
                }
            }
        }
    }

    /// `RTM_SETLINK` for the link itself: administrative state and MTU, acknowledged.
    public static func setLink(index: Int32, up: Bool?, mtu: UInt32?, sequence: UInt32) -> [UInt8] {
        buildMessage(type: MessageType.setLink, flags: MessageFlags.request | MessageFlags.ack, sequence: sequence) { w in
            w.u8(0)
            w.u8(0)
            w.u16(0)
            w.i32(index)
            w.u32(up == true ? LinkInfo.flagUp : 0)  // ifi_flags
            w.u32(up == nil ? 0 : LinkInfo.flagUp)  // ifi_change: only IFF_UP
            if let mtu { w.attribute(LinkAttribute.mtu, u32: mtu) }
        }
    }

    static func encode(_ c: VFChange, into w: inout ByteWriter) {
        if let mac = c.mac {
            var p = ByteWriter()
            p.u32(c.vf)
            p.bytes.append(contentsOf: mac.prefix(vfAddressFieldSize))
            p.bytes.append(contentsOf: [UInt8](repeating: 0, count: vfAddressFieldSize - min(mac.count, vfAddressFieldSize)))
            w.attribute(VFAttribute.mac, p.bytes)
        }
        if let vlan = c.vlan {
            if vlan.protocol == ethernetEtherType8021Q {
                w.attribute(VFAttribute.vlan, words([c.vf, vlan.id, vlan.qos]))
            } else {
                w.nested(VFAttribute.vlanList) { list in
                    var p = ByteWriter()
                    p.u32(c.vf)
                    p.u32(vlan.id)
                    p.u32(vlan.qos)
                    p.u8(UInt8(vlan.protocol >> 8))  // __be16
                    p.u8(UInt8(vlan.protocol & 0xff))
                    p.pad()  // sizeof(struct ifla_vf_vlan_info) is 16
                    list.attribute(VFAttribute.vlanInfo, p.bytes)
                }
            }
        }
        if let rate = c.rate { w.attribute(VFAttribute.rate, words([c.vf, rate.min, rate.max])) }
        if let v = c.spoofCheck { w.attribute(VFAttribute.spoofCheck, words([c.vf, v ? 1 : 0])) }
        if let v = c.linkState { w.attribute(VFAttribute.linkState, words([c.vf, v])) }
        if let v = c.trust { w.attribute(VFAttribute.trust, words([c.vf, v ? 1 : 0])) }
        if let v = c.rssQueryEnabled { w.attribute(VFAttribute.rssQueryEnabled, words([c.vf, v ? 1 : 0])) }
    }

    private static func words(_ values: [UInt32]) -> [UInt8] {
        var p = ByteWriter()
        for v in values { p.u32(v) }
        return p.bytes
    }

    private static func ifinfo(_ w: inout ByteWriter, index: Int32) {
        w.u8(0)  // ifi_family AF_UNSPEC
        w.u8(0)
        w.u16(0)  // ifi_type
        w.i32(index)
        w.u32(0)  // ifi_flags
        w.u32(0)  // ifi_change
    }

    private static func extMask(withStats: Bool) -> UInt32 {
        withStats ? ExtFilter.vf : ExtFilter.vf | ExtFilter.skipStats
    }
}
