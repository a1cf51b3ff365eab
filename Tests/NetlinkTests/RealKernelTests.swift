import Testing

@testable import Netlink

#if canImport(Glibc)
    import Glibc
#endif

/// The transport against the machine's own kernel: dumps, gets, and the kernel's refusals with
/// their extended-ack text. VF attributes need the lab guest (lab/run.sh); these need only a
/// NETLINK_ROUTE socket, which every Linux has. Where one cannot be opened the test says why.
@Suite struct RealKernelTests {
    /// Whether this machine lets a process open a NETLINK_ROUTE socket (every Linux does, but a
    /// sandbox may not).
    static let haveSocket = (try? RouteSocket()) != nil
    /// A fresh socket per test (tests run in parallel; a socket is not shared between threads).
    var socket: RouteSocket? { try? RouteSocket() }

    @Test(.enabled(if: haveSocket, "no NETLINK_ROUTE socket can be opened here")) func dumpListsLoopback() throws {
        let socket = try #require(socket)
        let links = try socket.dumpLinks(withStats: true)
        let lo = try #require(links.first { $0.name == "lo" }, "every Linux has lo")
        #expect(lo.flags & LinkInfo.flagUp != 0 || lo.operstate != nil)
        #expect(lo.mtu ?? 0 >= 1500)
        #expect(Set(links.map(\.index)).count == links.count, "each link once")
        #expect(socket.datagramsReceived >= 1)
    }

    /// IFLA_STATS64 against the kernel's own sysfs view of the same counters.
    @Test(.enabled(if: haveSocket, "no NETLINK_ROUTE socket can be opened here")) func loopbackCountersMatchSysfs() throws {
        let socket = try #require(socket)
        func sysfs(_ name: String) -> UInt64? {
            guard let f = fopen("/sys/class/net/lo/statistics/\(name)", "r") else { return nil }
            defer { fclose(f) }
            var buffer = [CChar](repeating: 0, count: 32)
            guard fgets(&buffer, 32, f) != nil else { return nil }
            return UInt64(String(decoding: buffer.prefix { $0 != 0 && $0 != 10 }.map { UInt8(bitPattern: $0) }, as: UTF8.self))
        }
        let before = try #require(sysfs("rx_packets"), "/sys/class/net/lo/statistics is readable on every Linux")
        let lo = try #require(try socket.link(name: "lo", withStats: false))
        let stats = try #require(lo.stats, "the kernel sends IFLA_STATS64 with every link")
        let after = try #require(sysfs("rx_packets"))
        // Something else may send on lo between the reads; the dump lies between them.
        #expect(stats.rxPackets >= before && stats.rxPackets <= after)
        #expect(stats.rxBytes > 0 || before == 0)
    }

    @Test(.enabled(if: haveSocket, "no NETLINK_ROUTE socket can be opened here")) func getByNameAndIndexAgree() throws {
        let socket = try #require(socket)
        let byName = try #require(try socket.link(name: "lo", withStats: false))
        let byIndex = try #require(try socket.link(index: byName.index, withStats: false))
        #expect(byIndex.name == "lo")
        #expect(byIndex.mtu == byName.mtu)
    }

    @Test(.enabled(if: haveSocket, "no NETLINK_ROUTE socket can be opened here")) func missingLinkIsENODEV() throws {
        let socket = try #require(socket)
        do {
            _ = try socket.link(name: "nosuchlink0", withStats: false)
            Issue.record("the kernel found a link that does not exist")
        } catch let error as KernelError {
            #expect(error.errno == 19, "ENODEV")
        }
    }

    /// lo has no VFs: the kernel refuses a VF SETLINK on it and changes nothing.
    @Test(.enabled(if: haveSocket, "no NETLINK_ROUTE socket can be opened here")) func vfSettingOnADeviceWithoutVFsIsRefused() throws {
        let socket = try #require(socket)
        let lo = try #require(try socket.link(name: "lo", withStats: false))
        var change = VFChange(vf: 0)
        change.trust = true
        do {
            try socket.setVFs(index: lo.index, changes: [change])
            Issue.record("the kernel accepted a VF setting on lo")
        } catch let error as KernelError {
            // EOPNOTSUPP from drivers without ndo_set_vf_*, or EPERM when not root.
            #expect([95, 1, 22].contains(error.errno), "got \(error)")
        }
    }

    @Test(.enabled(if: haveSocket, "no NETLINK_ROUTE socket can be opened here")) func sequenceNumbersAdvance() throws {
        let socket = try #require(socket)
        let a = socket.sequence()
        let b = socket.sequence()
        #expect(b == a &+ 1)
    }
}
