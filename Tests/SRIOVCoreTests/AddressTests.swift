import PropertyBased
import SRIOVCore
import Testing

@Suite struct PCIAddressTests {
    @Test(arguments: [
        ("0000:06:00.0", "0000:06:00.0"), ("06:10.4", "0000:06:10.4"), ("0001:3b:1f.7", "0001:3b:1f.7"),
        ("0000:AF:00.1", "0000:af:00.1"),
    ])
    func parses(text: String, canonical: String) throws {
        #expect(try #require(PCIAddress(text)).description == canonical)
    }

    @Test(arguments: [
        "", "eth0", "0000:06:00", "0000:06:20.0", "0000:06:00.8", "0000:6:00.0", "00000:06:00.0x",
        "0000:06:00.0.1", "zz:00.0",
    ])
    func rejects(text: String) {
        #expect(PCIAddress(text) == nil)
    }

    @Test func ordersByBusThenSlotThenFunction() throws {
        let a = try #require(PCIAddress("0000:06:00.1"))
        let b = try #require(PCIAddress("0000:06:10.0"))
        let c = try #require(PCIAddress("0000:07:00.0"))
        #expect([c, b, a].sorted() == [a, b, c])
    }

    @Test func roundTripsThroughText() async {
        await propertyCheck(input: Gen.uint32(in: 0...0xffff), Gen.uint8(), Gen.uint8(in: 0...31), Gen.uint8(in: 0...7)) { d, b, s, f in
            let address = PCIAddress(domain: d, bus: b, slot: s, function: f)
            #expect(PCIAddress(address.description) == address)
        }
    }
}

@Suite struct MACAddressTests {
    @Test(arguments: [("02:00:00:00:00:01", "02:00:00:00:00:01"), ("A0-36-9F-00-00-01", "a0:36:9f:00:00:01")])
    func parses(text: String, canonical: String) throws {
        #expect(try #require(MACAddress(text)).description == canonical)
    }

    @Test(arguments: ["", "02:00:00:00:00", "02:00:00:00:00:001", "g2:00:00:00:00:01", "02:00:00:00:00:01:02"])
    func rejects(text: String) {
        #expect(MACAddress(text) == nil)
    }

    @Test func classifiesBits() throws {
        #expect(try #require(MACAddress("01:00:5e:00:00:01")).isMulticast)
        #expect(try #require(MACAddress("02:00:00:00:00:01")).isLocallyAdministered)
        #expect(!(try #require(MACAddress("a0:36:9f:00:00:01")).isLocallyAdministered))
        #expect(MACAddress.zero.isZero)
    }

    @Test func roundTripsThroughText() async {
        await propertyCheck(input: Gen.uint8().array(of: 6)) { bytes in
            let mac = MACAddress(bytes: bytes)
            #expect(mac != nil)
            #expect(mac.flatMap { MACAddress($0.description) } == mac)
        }
    }
}
