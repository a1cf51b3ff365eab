import Netlink

/// For tests and benchmarks only. Builds `RTM_NEWLINK` replies the way the kernel lays them out (rtnl_fill_ifinfo and
/// rtnl_fill_vfinfo), so tests can make replies of any size and content.
public struct KernelReplyBuilder: Sendable {
    public var sequence: UInt32 = 7
    public var portID: UInt32 = 4242

    public init() {}

    public func newLink(index: Int32, name: String, vfs: [VFInfo], flags: UInt16 = MessageFlags.multi,
                 permanent: [UInt8]? = [2, 0, 0, 0, 0, 1], stats: LinkStats? = nil) -> [UInt8] {
        buildMessage(type: MessageType.newLink, flags: flags, sequence: sequence, portID: portID) { w in
            w.u8(0); w.u8(0); w.u16(1)  // family, pad, ARPHRD_ETHER
            w.i32(index)
            w.u32(0x1043)               // UP|BROADCAST|RUNNING|MULTICAST
            w.u32(0)
            w.attribute(LinkAttribute.ifname, Array(name.utf8) + [0])
            w.attribute(LinkAttribute.mtu, u32: 1500)
            w.attribute(LinkAttribute.operstate, [LinkInfo.operUp])
            w.attribute(LinkAttribute.address, [2, 0, 0, 0, 0, 1])
            if let permanent { w.attribute(LinkAttribute.permAddress, permanent) }
            if let stats {
                // struct rtnl_link_stats64 is 24 u64 on 6.x kernels; the decoder reads the first nine.
                var p = ByteWriter()
                let first = [stats.rxPackets, stats.txPackets, stats.rxBytes, stats.txBytes, stats.rxErrors,
                             stats.txErrors, stats.rxDropped, stats.txDropped, stats.multicast]
                for v in first + [UInt64](repeating: 0, count: 15) { p.u32(UInt32(v & 0xffff_ffff)); p.u32(UInt32(v >> 32)) }
                w.attribute(LinkAttribute.stats64, p.bytes)
            }
            w.attribute(LinkAttribute.numVF, u32: UInt32(vfs.count))
            w.nested(LinkAttribute.vfInfoList) { list in
                for vf in vfs { list.nested(VFAttribute.info) { info in Self.fill(vf, &info) } }
            }
            w.attribute(0x3ff, [1, 2, 3])  // an attribute from a newer kernel: must be skipped
        }
    }

    public func done() -> [UInt8] {
        buildMessage(type: MessageType.done, flags: MessageFlags.multi, sequence: sequence, portID: portID) { w in w.i32(0) }
    }

    /// An NLMSG_ERROR as the kernel sends it with NETLINK_CAP_ACK and NETLINK_EXT_ACK on.
    public func error(errno: Int32, message: String?, offset: UInt32? = nil) -> [UInt8] {
        var flags = MessageFlags.capped
        if message != nil || offset != nil { flags |= MessageFlags.ackTLVs }
        return buildMessage(type: MessageType.error, flags: flags, sequence: sequence, portID: portID) { w in
            w.i32(-errno)
            // The request's header only (capped).
            w.u32(32); w.u16(MessageType.setLink); w.u16(5); w.u32(sequence); w.u32(portID)
            if let message { w.attribute(ExtAckAttribute.message, Array(message.utf8) + [0]) }
            if let offset { w.attribute(ExtAckAttribute.offset, u32: offset) }
        }
    }

    static func fill(_ vf: VFInfo, _ w: inout ByteWriter) {
        var mac = ByteWriter(); mac.u32(vf.vf)
        mac.bytes += (vf.mac ?? [0, 0, 0, 0, 0, 0]) + [UInt8](repeating: 0, count: 26)
        w.attribute(VFAttribute.mac, mac.bytes)
        var bc = ByteWriter(); bc.bytes = (vf.broadcast ?? [UInt8](repeating: 0xff, count: 6)) + [UInt8](repeating: 0, count: 26)
        w.attribute(VFAttribute.broadcast, bc.bytes)
        w.attribute(VFAttribute.vlan, words([vf.vf, vf.vlan ?? 0, vf.qos ?? 0]))
        w.nested(VFAttribute.vlanList) { l in
            var p = ByteWriter(); p.u32(vf.vf); p.u32(vf.vlan ?? 0); p.u32(vf.qos ?? 0)
            let proto = vf.vlanProtocol ?? 0x8100
            p.u8(UInt8(proto >> 8)); p.u8(UInt8(proto & 0xff)); p.pad()
            l.attribute(VFAttribute.vlanInfo, p.bytes)
        }
        w.attribute(VFAttribute.txRate, words([vf.vf, vf.maxTxRate ?? 0]))
        w.attribute(VFAttribute.rate, words([vf.vf, vf.minTxRate ?? 0, vf.maxTxRate ?? 0]))
        w.attribute(VFAttribute.spoofCheck, words([vf.vf, vf.spoofCheck.map { $0 ? 1 : 0 } ?? UInt32.max]))
        w.attribute(VFAttribute.linkState, words([vf.vf, vf.linkState ?? 0]))
        w.attribute(VFAttribute.rssQueryEnabled, words([vf.vf, vf.rssQueryEnabled.map { $0 ? 1 : 0 } ?? UInt32.max]))
        w.attribute(VFAttribute.trust, words([vf.vf, vf.trust.map { $0 ? 1 : 0 } ?? UInt32.max]))
        if let s = vf.stats {
            w.nested(VFAttribute.stats) { st in
                for (type, value) in [(VFStatsAttribute.rxPackets, s.rxPackets), (VFStatsAttribute.txPackets, s.txPackets),
                                      (VFStatsAttribute.rxBytes, s.rxBytes), (VFStatsAttribute.txBytes, s.txBytes),
                                      (VFStatsAttribute.broadcast, s.broadcast), (VFStatsAttribute.multicast, s.multicast),
                                      (VFStatsAttribute.rxDropped, s.rxDropped ?? 0), (VFStatsAttribute.txDropped, s.txDropped ?? 0)] {
                    var p = ByteWriter(); p.u32(UInt32(value & 0xffff_ffff)); p.u32(UInt32(value >> 32))
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
            s.rxPackets = UInt64(i) * 1000; s.txPackets = UInt64(i) * 999
            s.rxBytes = UInt64(i) << 33; s.txBytes = UInt64(i) * 12345
            s.broadcast = 3; s.multicast = 4; s.rxDropped = 5; s.txDropped = 6
            vf.stats = s
        }
        return vf
    }
}
