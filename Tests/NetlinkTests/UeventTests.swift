import Netlink
import Testing

@Suite struct UeventTests {
    @Test func parsesTheKernelsFormat() throws {
        let bytes = Array(
            "remove@/devices/pci0000:00/0000:00:01.0/0000:01:10.0\0ACTION=remove\0DEVPATH=/devices/pci0000:00/0000:00:01.0/0000:01:10.0\0SUBSYSTEM=pci\0PCI_SLOT_NAME=0000:01:10.0\0SEQNUM=1234\0"
                .utf8)
        let event = try #require(Uevent(bytes))
        #expect(event.action == "remove")
        #expect(event.devpath == "/devices/pci0000:00/0000:00:01.0/0000:01:10.0")
        #expect(event.subsystem == "pci")
        #expect(event.properties["PCI_SLOT_NAME"] == "0000:01:10.0")
    }

    @Test func udevdsOwnMessagesAreNotKernelEvents() {
        #expect(Uevent(Array("libudev\0\u{1}\u{2}".utf8)) == nil)
        #expect(Uevent([]) == nil)
        #expect(Uevent(Array("garbage".utf8)) == nil)
    }

    @Test func theKernelsSocketWaitsBoundedlyForEvents() throws {
        let socket: UeventSocket
        do {
            socket = try UeventSocket()
        } catch {
            print("skipped: no NETLINK_KOBJECT_UEVENT socket here: \(error)")
            return
        }
        // A quiet machine gives nothing within the timeout; a busy one gives a parsed kernel event.
        if let event = try socket.next(timeout: 0.05) {
            #expect(!event.action.isEmpty && (event == .overflow || event.devpath.hasPrefix("/")))
        }
    }
}

/// poll(2) takes Int32 milliseconds: no Double a caller passes may trap or spin (`watch --settle
/// inf`, `1e10`, `nan` did, issue 26).
@Suite struct PollTimeoutTests {
    static let cases: [(Double, Int32)] = [
        (.infinity, 86_400_000), (1e10, 86_400_000), (3e6, 86_400_000), (2_147_484, 86_400_000), (.nan, 0),
        (-1, -1), (-.infinity, -1), (0.25, 250), (0, 0),
    ]

    @Test func timeoutsBecomeMilliseconds() {
        for (seconds, milliseconds) in Self.cases {
            #expect(pollMilliseconds(seconds) == milliseconds, "\(seconds)")
        }
    }
}
