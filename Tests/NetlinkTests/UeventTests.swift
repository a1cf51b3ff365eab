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
