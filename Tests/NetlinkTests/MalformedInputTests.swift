import NetlinkTestSupport
import PropertyBased
import Testing

@testable import Netlink

/// Bad bytes are errors, never crashes: every cut and every corruption of a real-shaped reply.
@Suite struct MalformedInputTests {
    let reply: [UInt8] = {
        let b = KernelReplyBuilder()
        return b.newLink(index: 2, name: "eth0", vfs: (0..<3).map { KernelReplyBuilder.sampleVF($0, stats: true) }, flags: 0)
    }()

    @Test func everyTruncationIsAnErrorNotACrash() {
        var errors = 0
        for length in 0..<reply.count {
            var cut = Array(reply.prefix(length))
            // Keep the header's length honest to the cut so the inner attributes are what breaks.
            if length >= 4 {
                let l = UInt32(length)
                cut[0] = UInt8(l & 0xff)
                cut[1] = UInt8(l >> 8 & 0xff)
                cut[2] = UInt8(l >> 16 & 0xff)
                cut[3] = UInt8(l >> 24)
            }
            do {
                _ = try decodeLinkReply([cut], sequence: 7)
            } catch is NetlinkDecodeError {
                errors += 1
            } catch {
                Issue.record("unexpected error \(error) at length \(length)")
            }
        }
        // Only cuts at an attribute boundary can decode; most cuts land inside one.
        #expect(errors > reply.count / 2)
    }

    @Test func aMessageLongerThanTheDatagramIsTruncated() {
        let cut = Array(reply.prefix(40))
        #expect(throws: NetlinkDecodeError.self) { _ = try decodeLinkReply([cut], sequence: 7) }
    }

    @Test func anAttributeShorterThanItsHeaderIsMalformed() {
        var bad = reply
        // First attribute after nlmsghdr (16) + ifinfomsg (16): set its length to 2.
        bad[32] = 2
        bad[33] = 0
        #expect(throws: NetlinkDecodeError.badLength(what: "link attribute 3", offset: 32, length: 2)) {
            _ = try decodeLinkReply([bad], sequence: 7)
        }
    }

    @Test func randomCorruptionNeverCrashes() async {
        let base = reply
        await propertyCheck(count: 300, input: Gen.int(in: 0...(base.count - 1)), Gen.uint8(), Gen.int(in: 0...(base.count - 1))) {
            position, value, length in
            var bytes = base
            bytes[position] = value
            _ = try? decodeLinkReply([Array(bytes.prefix(max(length, 1)))], sequence: 7)
            _ = try? decodeLinkReply([bytes], sequence: 7)
        }
    }
}
