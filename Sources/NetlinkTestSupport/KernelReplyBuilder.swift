import Netlink

/// For tests and benchmarks only. Builds `RTM_NEWLINK` replies the way the kernel lays them out (rtnl_fill_ifinfo and
/// rtnl_fill_vfinfo), so tests can make replies of any size and content.
public struct KernelReplyBuilder: Sendable {
    public var sequence: UInt32 = 7
    public var portID: UInt32 = 4242

    public init() {}

    /// NLM_F_MULTI: a part of a dump.
    public static let multi: UInt16 = 0x2

    public func newLink(
        index: Int32, name: String, vfs: [VFInfo], flags: UInt16 = KernelReplyBuilder.multi,
        permanent: [UInt8]? = [2, 0, 0, 0, 0, 1], stats: LinkStats? = nil
    ) -> [UInt8] {
        buildMessage(type: K.RTM_NEWLINK, flags: flags, sequence: sequence, portID: portID) { w in
            w.u8(0)
            w.u8(0)
            w.u16(1)  // family, pad, ARPHRD_ETHER
            w.i32(index)
            w.u32(0x1043)  // UP|BROADCAST|RUNNING|MULTICAST
            w.u32(0)
            w.attribute(K.IFLA_IFNAME, Array(name.utf8) + [0])
            w.attribute(K.IFLA_MTU, u32: 1500)
            w.attribute(K.IFLA_OPERSTATE, [K.IF_OPER_UP])
            w.attribute(K.IFLA_ADDRESS, [2, 0, 0, 0, 0, 1])
            if let permanent { w.attribute(K.IFLA_PERM_ADDRESS, permanent) }
            if let stats {
                // struct rtnl_link_stats64 is 24 u64 on 6.x kernels; the decoder reads the first nine.
                var p = ByteWriter()
                let first = [
                    stats.rxPackets, stats.txPackets, stats.rxBytes, stats.txBytes, stats.rxErrors,
                    stats.txErrors, stats.rxDropped, stats.txDropped, stats.multicast,
                ]
                for v in first + [UInt64](repeating: 0, count: 15) {
                    p.u32(UInt32(v & 0xffff_ffff))
                    p.u32(UInt32(v >> 32))
                }
                w.attribute(K.IFLA_STATS64, p.bytes)
            }
            w.attribute(K.IFLA_NUM_VF, u32: UInt32(vfs.count))
            w.nested(K.IFLA_VFINFO_LIST) { list in
                for vf in vfs { list.nested(K.IFLA_VF_INFO) { info in Self.fill(vf, &info) } }
            }
            w.attribute(0x3ff, [1, 2, 3])  // an attribute from a newer kernel: must be skipped
        }
    }

    public func done() -> [UInt8] {
        buildMessage(type: K.NLMSG_DONE, flags: K.NLM_F_MULTI, sequence: sequence, portID: portID) { w in w.i32(0) }
    }

    /// An NLMSG_ERROR as the kernel sends it with NETLINK_CAP_ACK and NETLINK_EXT_ACK on.
    public func error(errno: Int32, message: String?, offset: UInt32? = nil) -> [UInt8] {
        var flags = K.NLM_F_CAPPED
        if message != nil || offset != nil { flags |= K.NLM_F_ACK_TLVS }
        return buildMessage(type: K.NLMSG_ERROR, flags: flags, sequence: sequence, portID: portID) { w in
            w.i32(-errno)
            // The request's header only (capped).
            w.u32(32)
            w.u16(K.RTM_SETLINK)
            w.u16(5)
            w.u32(sequence)
            w.u32(portID)
            if let message { w.attribute(K.NLMSGERR_ATTR_MSG, Array(message.utf8) + [0]) }
            if let offset { w.attribute(K.NLMSGERR_ATTR_OFFS, u32: offset) }
        }
    }

    static func fill(_ vf: VFInfo, _ w: inout ByteWriter) {
        var mac = ByteWriter()
        mac.u32(vf.vf)
        mac.bytes += (vf.mac ?? [0, 0, 0, 0, 0, 0]) + [UInt8](repeating: 0, count: 26)
        w.attribute(K.IFLA_VF_MAC, mac.bytes)
        var bc = ByteWriter()
        bc.bytes = (vf.broadcast ?? [UInt8](repeating: 0xff, count: 6)) + [UInt8](repeating: 0, count: 26)
        w.attribute(K.IFLA_VF_BROADCAST, bc.bytes)
        w.attribute(K.IFLA_VF_VLAN, words([vf.vf, vf.vlan ?? 0, vf.qos ?? 0]))
        w.nested(K.IFLA_VF_VLAN_LIST) { l in
            var p = ByteWriter()
            p.u32(vf.vf)
            p.u32(vf.vlan ?? 0)
            p.u32(vf.qos ?? 0)
            let proto = vf.vlanProtocol ?? 0x8100
            p.u8(UInt8(proto >> 8))
            p.u8(UInt8(proto & 0xff))
            p.pad()
            l.attribute(K.IFLA_VF_VLAN_INFO, p.bytes)
        }
        w.attribute(K.IFLA_VF_TX_RATE, words([vf.vf, vf.maxTxRate ?? 0]))
        w.attribute(K.IFLA_VF_RATE, words([vf.vf, vf.minTxRate ?? 0, vf.maxTxRate ?? 0]))
        w.attribute(K.IFLA_VF_SPOOFCHK, words([vf.vf, vf.spoofCheck.map { $0 ? 1 : 0 } ?? UInt32.max]))
        w.attribute(K.IFLA_VF_LINK_STATE, words([vf.vf, vf.linkState ?? 0]))
        w.attribute(K.IFLA_VF_RSS_QUERY_EN, words([vf.vf, vf.rssQueryEnabled.map { $0 ? 1 : 0 } ?? UInt32.max]))
        w.attribute(K.IFLA_VF_TRUST, words([vf.vf, vf.trust.map { $0 ? 1 : 0 } ?? UInt32.max]))
        if let s = vf.stats {
            w.nested(K.IFLA_VF_STATS) { st in
                for (type, value) in [
                    (K.IFLA_VF_STATS_RX_PACKETS, s.rxPackets), (K.IFLA_VF_STATS_TX_PACKETS, s.txPackets),
                    (K.IFLA_VF_STATS_RX_BYTES, s.rxBytes), (K.IFLA_VF_STATS_TX_BYTES, s.txBytes),
                    (K.IFLA_VF_STATS_BROADCAST, s.broadcast), (K.IFLA_VF_STATS_MULTICAST, s.multicast),
                    (K.IFLA_VF_STATS_RX_DROPPED, s.rxDropped ?? 0), (K.IFLA_VF_STATS_TX_DROPPED, s.txDropped ?? 0),
                ] {
                    var p = ByteWriter()
                    p.u32(UInt32(value & 0xffff_ffff))
                    p.u32(UInt32(value >> 32))
                    st.attribute(type, p.bytes)
                }
            }
        }
    }

    static func words(_ values: [UInt32]) -> [UInt8] {
        var p = ByteWriter()
        for v in values { p.u32(v) }
        return p.bytes
    }

    /// A VF with every field set from its index, so each VF differs from the others.
    public static func sampleVF(_ i: UInt32, stats: Bool) -> VFInfo {
        var vf = VFInfo(vf: i)
        vf.mac = [0x02, 0, 0, 0, UInt8(i >> 8), UInt8(i & 0xff)]
        vf.broadcast = [UInt8](repeating: 0xff, count: 6)
        vf.vlan = i % 4095
        vf.qos = i % 8
        vf.vlanProtocol = i % 2 == 0 ? 0x8100 : 0x88a8
        vf.txRate = i * 10
        vf.minTxRate = i
        vf.maxTxRate = i * 10
        vf.spoofCheck = i % 3 != 0
        vf.linkState = i % 3
        vf.trust = i % 5 == 0
        vf.rssQueryEnabled = false
        if stats {
            var s = VFStats()
            s.rxPackets = UInt64(i) * 1000
            s.txPackets = UInt64(i) * 999
            s.rxBytes = UInt64(i) << 33
            s.txBytes = UInt64(i) * 12345
            s.broadcast = 3
            s.multicast = 4
            s.rxDropped = 5
            s.txDropped = 6
            vf.stats = s
        }
        return vf
    }
}

/// The kernel's numbers, written here from the uapi headers (linux/netlink.h, linux/rtnetlink.h,
/// linux/if_link.h), not taken from the decoder: a wrong constant there must fail the tests.
enum K {
    static let NLMSG_ERROR: UInt16 = 2, NLMSG_DONE: UInt16 = 3, RTM_NEWLINK: UInt16 = 16, RTM_SETLINK: UInt16 = 19
    static let NLM_F_MULTI: UInt16 = 0x2, NLM_F_CAPPED: UInt16 = 0x100, NLM_F_ACK_TLVS: UInt16 = 0x200
    static let NLMSGERR_ATTR_MSG: UInt16 = 1, NLMSGERR_ATTR_OFFS: UInt16 = 2
    static let IFLA_ADDRESS: UInt16 = 1, IFLA_IFNAME: UInt16 = 3, IFLA_MTU: UInt16 = 4, IFLA_OPERSTATE: UInt16 = 16
    static let IFLA_NUM_VF: UInt16 = 21, IFLA_VFINFO_LIST: UInt16 = 22, IFLA_STATS64: UInt16 = 23, IFLA_PERM_ADDRESS: UInt16 = 54
    static let IF_OPER_UP: UInt8 = 6
    static let IFLA_VF_INFO: UInt16 = 1
    static let IFLA_VF_MAC: UInt16 = 1, IFLA_VF_VLAN: UInt16 = 2, IFLA_VF_TX_RATE: UInt16 = 3, IFLA_VF_SPOOFCHK: UInt16 = 4
    static let IFLA_VF_LINK_STATE: UInt16 = 5, IFLA_VF_RATE: UInt16 = 6, IFLA_VF_RSS_QUERY_EN: UInt16 = 7, IFLA_VF_STATS: UInt16 = 8
    static let IFLA_VF_TRUST: UInt16 = 9, IFLA_VF_VLAN_LIST: UInt16 = 12, IFLA_VF_BROADCAST: UInt16 = 13
    static let IFLA_VF_VLAN_INFO: UInt16 = 1
    static let IFLA_VF_STATS_RX_PACKETS: UInt16 = 0, IFLA_VF_STATS_TX_PACKETS: UInt16 = 1, IFLA_VF_STATS_RX_BYTES: UInt16 = 2
    static let IFLA_VF_STATS_TX_BYTES: UInt16 = 3, IFLA_VF_STATS_BROADCAST: UInt16 = 4, IFLA_VF_STATS_MULTICAST: UInt16 = 5
    static let IFLA_VF_STATS_RX_DROPPED: UInt16 = 7, IFLA_VF_STATS_TX_DROPPED: UInt16 = 8
}
