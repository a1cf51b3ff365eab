import NetlinkTestSupport
import Testing

@testable import Netlink

@Suite struct LinkDecodingTests {
    let builder = KernelReplyBuilder()

    @Test func decodesEveryVFAttribute() throws {
        let vfs = (0..<4).map { KernelReplyBuilder.sampleVF($0, stats: true) }
        let reply = builder.newLink(index: 3, name: "enp6s0f0", vfs: vfs) + builder.done()
        let links = try decodeLinkReply([reply], sequence: builder.sequence, portID: builder.portID)
        #expect(links.count == 1)
        let link = try #require(links.first)
        #expect(link.name == "enp6s0f0")
        #expect(link.index == 3)
        #expect(link.mtu == 1500)
        #expect(link.operstate == LinkInfo.operUp)
        #expect(link.permanentAddress == [2, 0, 0, 0, 0, 1])
        #expect(link.numVFs == 4)
        #expect(link.vfs == vfs)
    }

    @Test func linkCountersAreRead() throws {
        var stats = LinkStats()
        stats.rxPackets = 11
        stats.txPackets = 12
        stats.rxBytes = 1 << 40
        stats.txBytes = 14
        stats.rxErrors = 15
        stats.txErrors = 16
        stats.rxDropped = 17
        stats.txDropped = 18
        stats.multicast = 19
        let reply = builder.newLink(index: 2, name: "enp6s0f0v0", vfs: [], flags: 0, stats: stats)
        let link = try #require(try decodeLinkReply([reply], sequence: builder.sequence).first)
        #expect(link.stats == stats)
        let without = builder.newLink(index: 2, name: "eth0", vfs: [], flags: 0)
        #expect(try decodeLinkReply([without], sequence: builder.sequence).first?.stats == nil)
    }

    @Test func valuesDriversDoNotReportAreNil() throws {
        var vf = VFInfo(vf: 0)
        vf.mac = [0, 0, 0, 0, 0, 0]
        vf.vlan = 0
        vf.qos = 0
        vf.vlanProtocol = 0x8100
        vf.txRate = 0
        vf.minTxRate = 0
        vf.maxTxRate = 0
        vf.linkState = 0
        vf.broadcast = [UInt8](repeating: 0xff, count: 6)
        // spoofCheck, trust, rssQueryEnabled left nil: written as all ones, as igb leaves them.
        let reply = builder.newLink(index: 2, name: "eth0", vfs: [vf], flags: 0)
        let link = try #require(try decodeLinkReply([reply], sequence: builder.sequence).first)
        let decoded = try #require(link.vfs?.first)
        #expect(decoded.spoofCheck == nil)
        #expect(decoded.trust == nil)
        #expect(decoded.rssQueryEnabled == nil)
        #expect(decoded.mac == [0, 0, 0, 0, 0, 0])
    }

    @Test func vlanProtocolIsBigEndian() throws {
        var vf = KernelReplyBuilder.sampleVF(1, stats: false)
        vf.vlanProtocol = 0x88a8
        let reply = builder.newLink(index: 2, name: "eth0", vfs: [vf], flags: 0)
        let bytes = reply
        // The raw bytes hold 0x88 then 0xa8: find them after the VLAN info's three words.
        #expect(bytes.indices.contains { i in i + 1 < bytes.count && bytes[i] == 0x88 && bytes[i + 1] == 0xa8 })
        let link = try #require(try decodeLinkReply([reply], sequence: builder.sequence).first)
        #expect(link.vfs?.first?.vlanProtocol == 0x88a8)
    }

    @Test func twoHundredFiftySixVFsWithStatsDecodeWhole() throws {
        let vfs = (0..<256).map { KernelReplyBuilder.sampleVF(UInt32($0), stats: true) }
        let reply = builder.newLink(index: 5, name: "ens1f0", vfs: vfs, flags: 0)
        #expect(reply.count > 65_536, "a 256-VF reply is larger than any default receive buffer")
        // The list's 16-bit length wrapped, as the kernel's does: decoding must not trust it.
        let list = try #require(
            try messages(in: reply).first.map { m in
                try attributes(in: reply, from: m.payloadStart + 16, to: m.end, context: "t").first { $0.type == LinkAttribute.vfInfoList }
            } ?? nil)
        #expect(list.payloadLength < 256 * 200, "each VF with stats takes over 200 bytes: the declared length wrapped")
        let link = try #require(try decodeLinkReply([reply], sequence: builder.sequence).first)
        #expect(link.vfs?.count == 256)
        #expect(link.vfs?[255].mac == [0x02, 0, 0, 0, 0, 255])
        #expect(link.vfs?[200].stats?.rxBytes == UInt64(200) << 33)
    }

    @Test func repliesToOtherRequestsAreSkipped() throws {
        var stale = builder
        stale.sequence = 6
        let old = stale.newLink(index: 9, name: "old0", vfs: [], flags: 0)
        let current = builder.newLink(index: 2, name: "eth0", vfs: [], flags: 0)
        var collector = ReplyCollector(sequence: builder.sequence, portID: builder.portID)
        try collector.consume(old)
        #expect(!collector.finished)
        #expect(collector.skipped == 1)
        try collector.consume(current)
        #expect(collector.finished)
        #expect(collector.links.map(\.name) == ["eth0"])
    }

    @Test func anotherPortsMessageIsSkipped() throws {
        var other = builder
        other.portID = 99
        var collector = ReplyCollector(sequence: builder.sequence, portID: builder.portID)
        try collector.consume(other.newLink(index: 2, name: "eth0", vfs: [], flags: 0))
        #expect(collector.links.isEmpty)
        #expect(collector.skipped == 1)
    }

    @Test func dumpEndsAtDone() throws {
        var collector = ReplyCollector(sequence: builder.sequence, portID: builder.portID)
        try collector.consume(builder.newLink(index: 1, name: "lo", vfs: []) + builder.newLink(index: 2, name: "eth0", vfs: []))
        #expect(!collector.finished)
        try collector.consume(builder.done())
        #expect(collector.finished)
        #expect(collector.links.count == 2)
    }

    @Test func extendedAckTextReachesTheError() throws {
        let reply = builder.error(errno: 34, message: "VF index out of range", offset: 40)
        #expect(throws: KernelError(errno: 34, message: "VF index out of range", offset: 40)) {
            _ = try decodeLinkReply([reply], sequence: builder.sequence)
        }
    }

    @Test func plainErrorHasNoText() throws {
        #expect(throws: KernelError(errno: 95, message: nil, offset: nil)) {
            _ = try decodeLinkReply([builder.error(errno: 95, message: nil)], sequence: builder.sequence)
        }
    }

    @Test func acknowledgementFinishes() throws {
        let ack = buildMessage(
            type: MessageType.error, flags: MessageFlags.capped, sequence: builder.sequence,
            portID: builder.portID
        ) { w in
            w.i32(0)
            w.u32(16)
            w.u16(19)
            w.u16(5)
            w.u32(builder.sequence)
            w.u32(builder.portID)
        }
        var collector = ReplyCollector(sequence: builder.sequence, portID: builder.portID)
        try collector.consume(ack)
        #expect(collector.finished)
    }

    @Test func interruptedDumpIsReported() throws {
        var reply = builder.newLink(index: 1, name: "lo", vfs: [])
        reply[6] |= 0x10  // NLM_F_DUMP_INTR in nlmsg_flags
        #expect(throws: NetlinkProtocolError.dumpInterrupted) {
            _ = try decodeLinkReply([reply], sequence: builder.sequence)
        }
    }
}
