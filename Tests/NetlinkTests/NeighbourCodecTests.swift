import Testing

@testable import Netlink

/// Forwarding-table requests byte for byte, as linux/neighbour.h lays them out and as iproute2's
/// `bridge fdb replace|del MAC dev DEV self` sends them; events decoded, foreign ones skipped.
@Suite struct NeighbourCodecTests {
    static let mac: [UInt8] = [0x02, 0, 0, 0, 0, 0x99]

    @Test func addingToADevicesOwnTableIsOneNdmsgAndTheMAC() {
        let bytes = NeighbourRequest.addSelf(index: 3, mac: Self.mac, sequence: 7)
        let expected: [UInt8] =
            [40, 0, 0, 0, 28, 0, 0x05, 0x05, 7, 0, 0, 0, 0, 0, 0, 0]  // nlmsghdr: RTM_NEWNEIGH, REQUEST|ACK|REPLACE|CREATE
            + [7, 0, 0, 0, 3, 0, 0, 0, 0x80, 0, 0x02, 0]  // ndmsg: AF_BRIDGE, ifindex 3, NUD_PERMANENT, NTF_SELF
            + [10, 0, 2, 0] + Self.mac + [0, 0]  // NDA_LLADDR, padded to 4
        #expect(bytes == expected)
    }

    @Test func removingCarriesNTFSelfSoABridgePortsOwnTableIsMeant() {
        let bytes = NeighbourRequest.deleteSelf(index: 260, mac: Self.mac, sequence: 1)
        #expect(Array(bytes[4..<8]) == [29, 0, 0x05, 0x00], "RTM_DELNEIGH, REQUEST|ACK")
        #expect(Array(bytes[16..<28]) == [7, 0, 0, 0, 4, 1, 0, 0, 0x80, 0, 0x02, 0])
        #expect(Array(bytes[28...]) == [10, 0, 2, 0] + Self.mac + [0, 0])
    }

    @Test func theDumpIsABareNdmsgSoTheKernelFiltersNothing() {
        let bytes = NeighbourRequest.dump(sequence: 9)
        #expect(bytes == [28, 0, 0, 0, 30, 0, 0x01, 0x03, 9, 0, 0, 0, 0, 0, 0, 0] + [7] + [UInt8](repeating: 0, count: 11))
    }

    /// An RTM_NEWNEIGH as the bridge announces a learned entry: port 5 of bridge 4, VLAN 10.
    static func learned(type: UInt16 = 28, family: UInt8 = 7, mac: [UInt8] = [0x02, 0, 0, 0, 0, 0x98]) -> [UInt8] {
        var w = ByteWriter()
        w.u8(family)
        w.u8(0)
        w.u16(0)
        w.i32(5)
        w.u16(0x02)  // NUD_REACHABLE
        w.u8(0x00)
        w.u8(0)
        w.attribute(NeighbourAttribute.lladdr, mac)
        w.attribute(NeighbourAttribute.master, u32: 4)
        w.attribute(NeighbourAttribute.vlan, [10, 0])
        return buildMessage(type: type, flags: 0, sequence: 0) { $0.bytes += w.bytes }
    }

    @Test func eventsAreDecodedAndOtherNeighboursSkipped() {
        let datagram = Self.learned() + Self.learned(type: 29) + Self.learned(family: 2) + Self.learned(mac: [1, 2, 3])
        let events = NeighbourEventSocket.decode(datagram)
        #expect(events.count == 2, "an ARP neighbour (AF_INET) and a 3-byte address are not forwarding entries")
        #expect(
            events[0] == FDBEvent(added: true, entry: FDBEntry(index: 5, state: 0x02, flags: 0, mac: [2, 0, 0, 0, 0, 0x98], master: 4, vlan: 10)))
        #expect(events[1].added == false)
        #expect(!events[0].entry.isSelf)
    }

    @Test func aTruncatedEventIsSkippedNotACrash() {
        let whole = Self.learned()
        for cut in 0..<whole.count {
            _ = NeighbourEventSocket.decode(Array(whole.prefix(cut)))
        }
        var lying = whole
        lying[16 + 12] = 200  // NDA_LLADDR claims 200 bytes
        #expect(NeighbourEventSocket.decode(lying).isEmpty)
    }

    /// The socket opens on this machine's kernel (no privilege needed to listen) and reads
    /// what is queued without waiting.
    @Test func theEventSocketOpensAndDrainsWithoutBlocking() throws {
        let socket = try NeighbourEventSocket()
        #expect(socket.descriptor >= 0)
        #expect(try socket.drain() != nil)
        #expect(try waitReadable([socket.descriptor], timeout: 0).count == 1)
    }
}
