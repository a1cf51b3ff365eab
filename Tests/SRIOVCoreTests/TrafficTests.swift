import PropertyBased
import SRIOVCore
import Testing

/// Where counters come from, rates between samples, and the reset rule.
@Suite struct CounterChoiceTests {
    static let pfPCI = PCIAddress("0000:06:00.0")!
    static let vfPCI = PCIAddress("0000:06:10.0")!

    static func pf(driver: String?, name: String? = "enp6s0f0") -> PhysicalFunction {
        PhysicalFunction(pci: pfPCI, name: name, driver: driver, totalVFs: 7, numVFs: 1)
    }

    static func vf(driver: String?, counters: VFCounters?, netdev: VFCounters? = nil) -> VirtualFunction {
        VirtualFunction(
            index: 0, pci: vfPCI, driver: driver, netdev: netdev == nil ? nil : "enp6s0f0v0",
            counters: counters, netdevCounters: netdev)
    }

    static let zeros = VFCounters(broadcast: 0, multicast: 0, rxDropped: 0, txDropped: 0)
    static let busy = VFCounters(rxPackets: 10, txPackets: 5, rxBytes: 9000, txBytes: 400)

    @Test func igbZerosAreNotShownAsZero() {
        let chosen = ChosenCounters.choose(pf: Self.pf(driver: "igb"), vf: Self.vf(driver: "vfio-pci", counters: Self.zeros))
        #expect(chosen.source == nil)
        #expect(chosen.counters == nil)
        #expect(chosen.note == "igb has no per-VF counters; watch it inside the guest")
    }

    @Test func igbVFWithAHostDriverUsesItsNetdev() {
        let chosen = ChosenCounters.choose(
            pf: Self.pf(driver: "igb"),
            vf: Self.vf(driver: "igbvf", counters: Self.zeros, netdev: Self.busy))
        #expect(chosen.source == .netdev)
        #expect(chosen.counters == Self.busy)
        #expect(chosen.note == nil)
    }

    @Test func aDriverThatKeepsCountersShowsAnIdleVFAsZero() {
        let chosen = ChosenCounters.choose(
            pf: Self.pf(driver: "ice"),
            vf: Self.vf(driver: "iavf", counters: Self.zeros, netdev: Self.busy))
        #expect(chosen.source == .vf, "per-VF counters win over the netdev's where the driver keeps them")
        #expect(chosen.counters == Self.zeros)
    }

    @Test(arguments: ["frobnic", "ixgbe"])
    func aDriverNotKnownToKeepThemIsTrustedOnlyOnceItCounts(_ driver: String) {
        // (ixgbe: ixgbe_ndo_get_vf_stats exists only in recent kernels.)
        let idle = ChosenCounters.choose(pf: Self.pf(driver: driver), vf: Self.vf(driver: "vfio-pci", counters: Self.zeros))
        #expect(idle.source == nil)
        #expect(idle.note?.contains("\(driver) may not keep them") == true)
        let counting = ChosenCounters.choose(pf: Self.pf(driver: driver), vf: Self.vf(driver: "vfio-pci", counters: Self.busy))
        #expect(counting.source == .vf)
    }

    @Test func bnxtKeepsNoneAsItsSourceHasNone() {
        let chosen = ChosenCounters.choose(pf: Self.pf(driver: "bnxt_en"), vf: Self.vf(driver: "vfio-pci", counters: Self.busy))
        #expect(chosen.source == nil && chosen.note?.contains("bnxt_en has no per-VF counters") == true, "\(chosen)")
    }

    @Test func noStatsAtAllSaySo() {
        let chosen = ChosenCounters.choose(pf: Self.pf(driver: "mlx5_core", name: nil), vf: Self.vf(driver: nil, counters: nil))
        #expect(chosen.source == nil)
        #expect(chosen.note == "the PF has no network interface to ask")
    }
}

@Suite struct RateTests {
    static func reading(_ c: VFCounters?, source: CounterSource? = .vf, index: Int = 0) -> TrafficSample.Reading {
        TrafficSample.Reading(
            pf: "enp6s0f0", pfPCI: PCIAddress("0000:06:00.0")!, index: index,
            pci: PCIAddress(domain: 0, bus: 6, slot: UInt8(16 + index / 8), function: UInt8(index % 8)), driver: "vfio-pci", netdev: nil,
            settings: VFSettings(), vm: 100,
            chosen: ChosenCounters(source: source, counters: c, note: source == nil ? "igb has no per-VF counters" : nil))
    }

    @Test func ratesAreDifferencesOverTheInterval() throws {
        let a = Self.reading(VFCounters(rxPackets: 100, txPackets: 10, rxBytes: 1_000_000, txBytes: 2_000))
        let b = Self.reading(VFCounters(rxPackets: 300, txPackets: 14, rxBytes: 1_250_000, txBytes: 2_600))
        let t = VFTraffic.between(a, b, elapsed: 2)
        #expect(t.rxBitsPerSecond == 1_000_000)  // 250 000 bytes * 8 / 2 s
        #expect(t.txBitsPerSecond == 2_400)
        #expect(t.rxPacketsPerSecond == 100)
        #expect(t.txPacketsPerSecond == 2)
        #expect(t.note == nil)
    }

    @Test func aCounterGoingBackwardsRestartsTheRate() {
        let before = Self.reading(VFCounters(rxPackets: 5_000_000, txPackets: 10, rxBytes: 7_000_000_000, txBytes: 2_000))
        let recreated = Self.reading(VFCounters(rxPackets: 3, txPackets: 1, rxBytes: 400, txBytes: 60))
        let t = VFTraffic.between(before, recreated, elapsed: 1)
        #expect(t.rxBitsPerSecond == nil)
        #expect(t.txBitsPerSecond == nil)
        #expect(t.note?.hasPrefix("counters restarted") == true)
        let next = Self.reading(VFCounters(rxPackets: 13, txPackets: 2, rxBytes: 1400, txBytes: 160))
        let resumed = VFTraffic.between(recreated, next, elapsed: 1)
        #expect(resumed.rxBitsPerSecond == 8000, "the interval after a reset starts from the new counters")
    }

    @Test func onlyOneCounterGoingBackIsAResetToo() {
        let a = Self.reading(VFCounters(rxPackets: 10, txPackets: 10, rxBytes: 1000, txBytes: 1000, rxDropped: 9))
        let b = Self.reading(VFCounters(rxPackets: 20, txPackets: 20, rxBytes: 2000, txBytes: 2000, rxDropped: 1))
        #expect(VFTraffic.between(a, b, elapsed: 1).rxBitsPerSecond == nil)
    }

    @Test func noSourceMeansNoRatesAndTheReason() {
        let t = VFTraffic.between(Self.reading(nil, source: nil), Self.reading(nil, source: nil), elapsed: 1)
        #expect(t.rxBitsPerSecond == nil)
        #expect(t.note == "igb has no per-VF counters")
    }

    @Test func aChangedSourceIsNotComparedAcrossSources() {
        let a = Self.reading(VFCounters(rxBytes: 1000), source: .netdev)
        let b = Self.reading(VFCounters(rxBytes: 5000), source: .vf)
        let t = VFTraffic.between(a, b, elapsed: 1)
        #expect(t.rxBitsPerSecond == nil)
        #expect(t.note?.contains("second sample") == true)
    }

    @Test func samplesAreMatchedByVF() {
        let first = TrafficSample(
            time: 10,
            vfs: [
                Self.reading(VFCounters(rxBytes: 100), index: 0),
                Self.reading(VFCounters(rxBytes: 100), index: 1),
            ])
        let second = TrafficSample(
            time: 11,
            vfs: [
                Self.reading(VFCounters(rxBytes: 300), index: 1),
                Self.reading(VFCounters(rxBytes: 100), index: 2),
            ])
        let rows = VFTraffic.rates(from: first, to: second)
        #expect(rows.map(\.reading.index) == [1, 2])
        #expect(rows[0].rxBitsPerSecond == 1600)
        #expect(rows[1].rxBitsPerSecond == nil, "VF 2 is new: no rate yet")
    }

    /// Whatever the counters do, a rate is never negative, and when they only grew it is exact.
    @Test func ratesAreNeverNegative() async {
        await propertyCheck(
            input: Gen.uint64(in: 0...(1 << 50)).array(of: 4), Gen.uint64(in: 0...(1 << 50)).array(of: 4),
            Gen.int(in: 1...5000)
        ) { a, b, ms in
            let x = Self.reading(VFCounters(rxPackets: a[0], txPackets: a[1], rxBytes: a[2], txBytes: a[3]))
            let y = Self.reading(VFCounters(rxPackets: b[0], txPackets: b[1], rxBytes: b[2], txBytes: b[3]))
            let elapsed = Double(ms) / 1000
            let t = VFTraffic.between(x, y, elapsed: elapsed)
            for rate in [t.rxBitsPerSecond, t.txBitsPerSecond, t.rxPacketsPerSecond, t.txPacketsPerSecond] {
                if let rate { #expect(rate >= 0) }
            }
            let grew = zip(a, b).allSatisfy { $0 <= $1 }
            #expect((t.rxBitsPerSecond != nil) == grew)
            if grew { #expect(t.rxBitsPerSecond == Double(b[2] - a[2]) * 8 / elapsed) }
        }
    }
}

@Suite struct TrafficOrderTests {
    static func row(_ index: Int, rx: Double?, tx: Double?, vm: Int? = nil) -> VFTraffic {
        var r = RateTests.reading(VFCounters(), index: index)
        r.vm = vm
        return VFTraffic(reading: r, rxBitsPerSecond: rx, txBitsPerSecond: tx)
    }

    @Test func busiestFirstAndNoRateLast() {
        let rows = [Self.row(0, rx: nil, tx: nil), Self.row(1, rx: 10, tx: 10), Self.row(2, rx: 5, tx: 100), Self.row(3, rx: 30, tx: 0)]
        #expect(TrafficOrder.total.sorted(rows).map(\.reading.index) == [2, 3, 1, 0])
        #expect(TrafficOrder.rx.sorted(rows).map(\.reading.index) == [3, 1, 2, 0])
        #expect(TrafficOrder.tx.sorted(rows).map(\.reading.index) == [2, 1, 3, 0])
        #expect(TrafficOrder.pf.sorted(rows.reversed()).map(\.reading.index) == [0, 1, 2, 3])
    }

    @Test func equalRatesAsShownKeepTheirPlaces() {
        // 500.1M and 500.3M both show as 500M: measurement noise must not reorder them.
        let rows = [Self.row(6, rx: 500_300_000, tx: 0), Self.row(0, rx: 500_100_000, tx: 0), Self.row(1, rx: 300_000_000, tx: 0)]
        #expect(TrafficOrder.rx.sorted(rows).map(\.reading.index) == [0, 6, 1])
    }

    @Test func byGuestThenUnassigned() {
        let rows = [Self.row(0, rx: 1, tx: 1), Self.row(1, rx: 1, tx: 1, vm: 200), Self.row(2, rx: 1, tx: 1, vm: 100)]
        #expect(TrafficOrder.vm.sorted(rows).map(\.reading.index) == [2, 1, 0])
    }

    @Test func theKeyCyclesThroughEveryOrder() {
        var seen: [TrafficOrder] = []
        var o = TrafficOrder.total
        for _ in TrafficOrder.allCases {
            seen.append(o)
            o = o.next
        }
        #expect(Set(seen).count == TrafficOrder.allCases.count)
        #expect(o == .total)
    }
}

@Suite struct UnitsTests {
    @Test(arguments: [
        (0.0, "0"), (999, "999"), (1000, "1.00k"), (81_234, "81.2k"), (999_499, "999k"), (999_500, "1.00M"),
        (1.2e9, "1.20G"), (0.5, "0.5"), (7, "7"),
    ])
    func siPrefixes(value: Double, text: String) {
        #expect(Units.si(value) == text)
    }

    @Test(arguments: [(1.0, 1, "1.0"), (0.25, 2, "0.25"), (12.05, 1, "12.1"), (3.0, 0, "3")])
    func fixedDecimals(value: Double, decimals: Int, text: String) {
        #expect(Units.format(value, decimals: decimals) == text)
    }
}
