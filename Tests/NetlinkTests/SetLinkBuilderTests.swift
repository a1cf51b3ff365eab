import PropertyBased
import Testing

@testable import Netlink

/// The RTM_SETLINK builder and the decoder agree: the VF structures are the same on both ways,
/// so a built request decodes back to the changes it carries.
@Suite struct SetLinkBuilderTests {
    static let macs = Gen.uint8().array(of: 6)

    func decodeRequest(_ bytes: [UInt8]) throws -> (MessageHeader, LinkInfo) {
        let message = try #require(try messages(in: bytes).first)
        return (message.header, try decodeLink(bytes, message))
    }

    @Test func oneMessageCarriesSeveralVFsWithSeveralAttributes() throws {
        var a = VFChange(vf: 0)
        a.mac = [2, 0, 0, 0, 0, 1]
        a.vlan = (100, 3, 0x8100)
        a.spoofCheck = false
        var b = VFChange(vf: 5)
        b.trust = true
        b.rate = (0, 500)
        b.linkState = 2
        let bytes = LinkRequest.setVFs(index: 4, changes: [a, b], sequence: 77)
        let (header, link) = try decodeRequest(bytes)
        #expect(header.type == MessageType.setLink)
        #expect(header.flags == MessageFlags.request | MessageFlags.ack)
        #expect(header.sequence == 77)
        #expect(Int(header.length) == bytes.count)
        #expect(link.index == 4)
        let vfs = try #require(link.vfs)
        #expect(vfs.count == 2)
        #expect(vfs[0].vf == 0 && vfs[0].mac == [2, 0, 0, 0, 0, 1] && vfs[0].vlan == 100 && vfs[0].qos == 3)
        #expect(vfs[0].spoofCheck == false && vfs[0].trust == nil)
        #expect(vfs[1].vf == 5 && vfs[1].trust == true && vfs[1].maxTxRate == 500 && vfs[1].minTxRate == 0)
        #expect(vfs[1].linkState == 2 && vfs[1].mac == nil)
    }

    @Test func dot1adGoesThroughTheVLANList() throws {
        var c = VFChange(vf: 2)
        c.vlan = (300, 0, 0x88a8)
        let (_, link) = try decodeRequest(LinkRequest.setVFs(index: 4, changes: [c], sequence: 1))
        #expect(link.vfs?.first?.vlanProtocol == 0x88a8)
        #expect(link.vfs?.first?.vlan == 300)
    }

    @Test func emptyChangesAreLeftOut() throws {
        let (_, link) = try decodeRequest(LinkRequest.setVFs(index: 4, changes: [VFChange(vf: 1)], sequence: 1))
        #expect(link.vfs == [])
    }

    @Test func roundTripsAnyChange() async {
        await propertyCheck(
            count: 200,
            input: Gen.uint32(in: 0...255), Self.macs, Gen.uint32(in: 0...4094), Gen.uint32(in: 0...7),
            Gen.bool, Gen.bool, Gen.uint32(in: 0...2), Gen.uint32(in: 0...100_000)
        ) { vf, mac, vlan, qos, spoof, trust, state, rate in
            var c = VFChange(vf: vf)
            c.mac = mac
            c.vlan = (vlan, qos, qos % 2 == 0 ? 0x8100 : 0x88a8)
            c.spoofCheck = spoof
            c.trust = trust
            c.linkState = state
            c.rate = (rate / 2, rate)
            let bytes = LinkRequest.setVFs(index: 9, changes: [c], sequence: 3)
            guard let (_, link) = try? decodeRequest(bytes), let d = link.vfs?.first else {
                Issue.record("the built request did not decode")
                return
            }
            #expect(d.vf == vf && d.mac == mac && d.vlan == vlan && d.qos == qos)
            #expect(d.vlanProtocol == (qos % 2 == 0 ? nil : 0x88a8) || d.vlanProtocol == c.vlan?.protocol)
            #expect(d.spoofCheck == spoof && d.trust == trust && d.linkState == state)
            #expect(d.minTxRate == rate / 2 && d.maxTxRate == rate)
        }
    }

    @Test func getRequestsAskForVFInfo() throws {
        let bytes = LinkRequest.dump(sequence: 5, withStats: false)
        let message = try #require(try messages(in: bytes).first)
        #expect(message.header.flags == MessageFlags.request | MessageFlags.dump)
        let attrs = try attributes(in: bytes, from: message.payloadStart + 16, to: message.end, context: "test")
        let mask = try #require(attrs.first { $0.type == LinkAttribute.extMask })
        #expect(try mask.u32(in: bytes, "mask") == ExtFilter.vf | ExtFilter.skipStats)
        let withStats = LinkRequest.dump(sequence: 5, withStats: true)
        let m2 = try #require(try messages(in: withStats).first)
        let a2 = try attributes(in: withStats, from: m2.payloadStart + 16, to: m2.end, context: "test")
        #expect(try a2.first { $0.type == LinkAttribute.extMask }?.u32(in: withStats, "mask") == ExtFilter.vf)
    }
}
