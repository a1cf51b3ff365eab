import SRIOVCore
import TestSupport
import Testing

@testable import SRIOVHost

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Counters as the simulated host and a captured real host give them, and what the sampler makes of them.
@Suite struct TrafficSamplingTests {
    static let traffic = SimulatedHostDescription.Traffic(rxBytesPerSecond: 1_000_000, txBytesPerSecond: 250_000, bytesPerPacket: 1000)

    static func e810(clock: Clock) -> SimulatedHost {
        var host = SimulatedHost(
            description: SimulatedHostDescription(pfs: [
                .init(
                    name: "ens1f0", pci: "0000:3b:00.0", driver: "ice", vfDriver: "iavf", permanentMac: "b4:96:91:a1:b2:c0",
                    totalVfs: 256, vfDevice: "8086:1889", vfOffset: 8, vfStride: 1, perVfCounters: true, traffic: traffic)
            ]))
        host.clock = { clock.now }
        return host
    }

    final class Clock: @unchecked Sendable {
        var now = 1_800_000_000.0
    }

    @Test func countersAdvanceWithTheClockAndRestartWhenVFsAreRecreated() throws {
        let clock = Clock()
        var host = Self.e810(clock: clock)
        try host.setNumVFs(pf: "0000:3b:00.0", to: 2)
        clock.now += 10
        let first = try host.snapshot(withCounters: true)
        let vf0 = try #require(first.pfs[0].vfs[0].counters)
        #expect(vf0.rxBytes == 10_000_000)
        #expect(vf0.txBytes == 2_500_000)
        #expect(vf0.rxPackets == 10_000)
        #expect(first.pfs[0].vfs[1].counters?.rxBytes == 6_000_000, "VF 1 moves 60% of VF 0's traffic")
        #expect(first.pfs[0].vfs[0].netdevCounters?.rxBytes == 10_000_000, "iavf made a netdev: it counts too")
        #expect(try host.snapshot().pfs[0].vfs[0].counters == nil, "counters only when asked")

        clock.now += 2
        let second = try host.snapshot(withCounters: true)
        let rows = VFTraffic.rates(from: TrafficSample(time: 10, snapshot: first), to: TrafficSample(time: 12, snapshot: second))
        #expect(rows[0].rxBitsPerSecond == 8_000_000)
        #expect(rows[0].source == .vf)

        try host.setNumVFs(pf: "0000:3b:00.0", to: 0)
        try host.setNumVFs(pf: "0000:3b:00.0", to: 2)
        clock.now += 1
        let third = try host.snapshot(withCounters: true)
        #expect(third.pfs[0].vfs[0].counters?.rxBytes == 1_000_000, "new VFs count from zero")
        let afterReset = VFTraffic.rates(from: TrafficSample(time: 12, snapshot: second), to: TrafficSample(time: 13, snapshot: third))
        #expect(afterReset[0].rxBitsPerSecond == nil)
        #expect(afterReset[0].note?.hasPrefix("counters restarted") == true)
    }

    @Test func aDriverWithoutPerVFCountersReportsZerosAndItsNetdevsCount() throws {
        let clock = Clock()
        var host = SimulatedHost(
            description: SimulatedHostDescription(pfs: [
                .init(
                    name: "enp6s0f0", pci: "0000:06:00.0", driver: "igb", vfDriver: "igbvf", permanentMac: "a0:36:9f:00:00:01",
                    totalVfs: 7, vfDevice: "8086:1520", vfOffset: 128, vfStride: 4, perVfCounters: false, traffic: Self.traffic)
            ]))
        host.clock = { clock.now }
        try host.setNumVFs(pf: "0000:06:00.0", to: 2)
        try host.bindVF(pf: "0000:06:00.0", index: 1, driver: "vfio-pci")
        clock.now += 5
        let pf = try host.snapshot(withCounters: true).pfs[0]
        #expect(pf.vfs.allSatisfy { $0.counters?.isAllZero == true }, "the kernel fills zeros for igb")
        let sample = TrafficSample(time: 0, snapshot: HostSnapshot(pfs: [pf]))
        #expect(sample.vfs[0].chosen.source == .netdev)
        #expect(sample.vfs[1].chosen.source == nil)
        #expect(sample.vfs[1].chosen.note == "igb has no per-VF counters; watch it inside the guest")
    }

    /// The lab's igb: VF 0 on vfio-pci has nothing to show; VFs 1-3 on igbvf are counted by their netdevs.
    @Test func aCapturedIgbHostGivesHonestSources() throws {
        let snapshot = try LinuxHost(root: RootedLinuxHostTests.igb.path).snapshot(withCounters: true)
        let sample = TrafficSample(time: 0, snapshot: snapshot)
        let byIndex = Dictionary(uniqueKeysWithValues: sample.vfs.map { ($0.index, $0) })
        #expect(byIndex[0]?.driver == "vfio-pci")
        #expect(byIndex[0]?.chosen.source == nil)
        #expect(byIndex[0]?.chosen.note?.contains("igb has no per-VF counters") == true)
        for i in 1...3 {
            #expect(byIndex[i]?.driver == "igbvf")
            #expect(byIndex[i]?.chosen.source == .netdev, "VF \(i)")
            #expect(byIndex[i]?.chosen.counters != nil)
        }
    }

    /// A snapshot of 256 VFs takes time, more under load: a rate must not depend on how long. Here
    /// every read of the clock moves it on by a millisecond, as a busy machine would.
    @Test func aSlowSnapshotDoesNotBendTheRate() throws {
        let clock = Clock()
        var host = Self.e810(clock: clock)
        try host.setNumVFs(pf: "0000:3b:00.0", to: 256)
        host.clock = {
            clock.now += 0.001
            return clock.now
        }
        let frozen = host
        let sampler = TrafficSampler(openHost: { frozen })
        let first = try sampler.sample().0
        clock.now += 0.5
        let second = try sampler.sample().0
        let rows = VFTraffic.rates(from: first, to: second)
        let vf0 = try #require(rows.first { $0.reading.index == 0 })
        let rx = try #require(vf0.rxBitsPerSecond)
        #expect(abs(rx - 8_000_000) < 50, "1 MB/s is 8 Mbit/s, to a byte counted whole; not \(rx)")
    }

    @Test func theSamplerFiltersPFsAndNamesGuests() throws {
        let clock = Clock()
        var host = Self.e810(clock: clock)
        try host.setNumVFs(pf: "0000:3b:00.0", to: 3)
        let frozen = host
        let sampler = TrafficSampler(openHost: { frozen }, selectors: [PFSelector("ens1f0")])
        let (sample, snapshot) = try sampler.sample()
        #expect(sample.vfs.count == 3)
        #expect(snapshot.pfs.count == 1)
        let unknown = TrafficSampler(openHost: { frozen }, selectors: [PFSelector("eth9")])
        #expect(throws: UnknownPFError.self) { try unknown.sample() }
    }

    /// On Proxmox, each reading carries the guest whose config names the VF (what `top` shows as VM
    /// and /metrics as the vm label).
    @Test func readingsNameTheGuestOfEachVF() throws {
        let tree = try TemporaryTree()
        try tree.copy(from: RootedLinuxHostTests.igb.appendingPathComponent("sys"), to: "sys")
        try tree.copy(from: RootedLinuxHostTests.igb.appendingPathComponent("run"), to: "run")
        try tree.writeLine("etc/hostname", "pve1")
        try tree.writeLine("etc/pve/qemu-server/100.conf", "hostpci0: 0000:01:10.0,pcie=1")
        try tree.writeLine("etc/pve/qemu-server/101.conf", "hostpci1: 01:10.6")
        let root = tree.root.path
        let sampler = TrafficSampler(openHost: { LinuxHost(root: root) })
        let (sample, _) = try sampler.sample()
        let vm = Dictionary(uniqueKeysWithValues: sample.vfs.compactMap { r in r.vm.map { (r.index, $0) } })
        #expect(vm[0] == 100)
        #expect(vm[3] == 101, "short host= form, 0000: implied")
        #expect(vm.count == 2, "VFs 1 and 2 belong to no guest")
    }

    @Test func applyRecordsRoundTrip() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sriovctl-record-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let store = ApplyRecordStore(path: dir.appendingPathComponent("run/sriovctl/last-apply.json").path)
        #expect(store.load() == nil)
        let record = ApplyRecord(finishedAt: 1_800_000_000.5, succeeded: false, changes: 4, failure: "EBUSY", trigger: "watch")
        try store.save(record)
        #expect(store.load() == record)
        #expect(ApplyRecordStore.forRoot("/tmp/x").path == "/tmp/x/run/sriovctl/last-apply.json")
    }
}
