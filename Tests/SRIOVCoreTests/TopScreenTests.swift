import PropertyBased
import SRIOVCore
import Testing

/// The `top` screen's layout: what fits, what goes first, and the styling rules.
@Suite struct TopScreenTests {
    static func rows(_ count: Int) -> [VFTraffic] {
        (0..<count).map { i in
            var r = RateTests.reading(
                VFCounters(
                    rxPackets: 10, txPackets: 10, rxBytes: 5_000_000, txBytes: 1_000,
                    rxDropped: i == 1 ? 3 : 0, txDropped: 0), index: i)
            r.settings.mac = MACAddress("02:00:00:00:00:0\(i % 10)")
            return VFTraffic(
                reading: r, rxBitsPerSecond: Double(1000 * (i + 1)), txBitsPerSecond: 80,
                rxPacketsPerSecond: 2, txPacketsPerSecond: 1)
        } + [VFTraffic(reading: RateTests.reading(nil, source: nil, index: 9), note: "igb has no per-VF counters")]
    }

    static func visible(_ line: String) -> String {
        var out = ""
        var escape = false
        for c in line {
            if c == "\u{1B}" {
                escape = true
                continue
            }
            if escape {
                if c.isLetter { escape = false }
                continue
            }
            out.append(c)
        }
        return out
    }

    func screen(width: Int, height: Int, styling: TopScreen.Styling = .none, rows: [VFTraffic] = rows(3)) -> [String] {
        TopScreen(
            rows: rows, order: .total, intervalSeconds: 1, width: width, height: height, styling: styling,
            hostLabel: "pve1"
        ).lines()
    }

    @Test func wideShowsEveryColumnAndTheReasonForMissingCounters() throws {
        let lines = screen(width: 220, height: 10)
        let header = lines[1]
        for column in ["PF", "VF", "VM", "MAC", "VLAN", "SOURCE", "RX bit/s", "TX bit/s", "RX pkt/s", "DROPS rx/tx", "RX total", "NOTE"] {
            #expect(header.contains(column), "\(column)")
        }
        let igb = try #require(lines.first { $0.contains("no per-VF counters") })
        #expect(igb.contains("n/a"), "no counters shows n/a, never 0")
        #expect(!igb.contains(" 0 "))
        #expect(lines[0].contains("4 VFs on 1 PF"))
        #expect(lines[0].contains("sort: total"))
    }

    @Test func busiestRowComesFirst() {
        let lines = screen(width: 220, height: 10)
        #expect(lines[2].hasPrefix("enp6s0f0   2"))
    }

    @Test func narrowKeepsIdentityAndRatesAndDropsTheRest() {
        let header = screen(width: 60, height: 10)[1]
        #expect(header.contains("RX bit/s") && header.contains("TX bit/s") && header.hasPrefix("PF"))
        #expect(!header.contains("MAC"))
        #expect(!header.contains("NOTE"))
    }

    @Test func noteColumnGoesFirstThenMAC() {
        let all = TopScreen(rows: Self.rows(2), order: .pf, intervalSeconds: 1, width: 1000, height: 10, styling: .none, hostLabel: "h")
        // The header bar is padded to the screen; the columns end where NOTE's widest note does.
        let header = all.lines()[1]
        let trimmed = header.prefix(header.lastIndex { $0 != " " }.map { header.distance(from: header.startIndex, to: $0) + 1 } ?? 0)
        let total = trimmed.count - "NOTE".count + "igb has no per-VF counters".count
        #expect(screen(width: total, height: 10, rows: Self.rows(2))[1].contains("NOTE"), "everything fits at exactly this width")
        let withoutNote = screen(width: total - 1, height: 10, rows: Self.rows(2))[1]
        #expect(!withoutNote.contains("NOTE") && withoutNote.contains("MAC"))
    }

    @Test func tooNarrowForTheNoteColumnTheReasonGetsALine() {
        let lines = screen(width: 60, height: 10)
        #expect(lines.last == "note: igb has no per-VF counters", "\(lines)")
        #expect(!screen(width: 1000, height: 10).contains { $0.hasPrefix("note:") }, "wide: it is in the NOTE column")
    }

    @Test func aNarrowTitleStillShowsTheOrderAndHowToQuit() {
        #expect(screen(width: 40, height: 5)[0] == "sriovctl top - sort: total (s) - quit: q")
    }

    @Test func tooManyRowsSaysHowManyAreHidden() {
        let lines = screen(width: 120, height: 6, rows: Self.rows(10))
        #expect(lines.count == 6)
        // 120 columns hide the NOTE column, so its reason takes the last line: two rows shown.
        #expect(lines[4].contains("... 9 more VFs"), "\(lines)")
        #expect(lines[5] == "note: igb has no per-VF counters")
    }

    @Test func noVFsSaysWhatToDo() {
        let lines = screen(width: 100, height: 5, rows: [])
        #expect(lines.last?.contains("No VFs") == true)
    }

    /// No line is wider than the terminal, whatever its size.
    @Test func everyLineFits() async {
        await propertyCheck(input: Gen.int(in: 1...260), Gen.int(in: 1...40)) { width, height in
            for styling in [TopScreen.Styling.none, .colour] {
                let lines = screen(width: width, height: height, styling: styling, rows: Self.rows(12))
                #expect(lines.count <= height)
                for line in lines { #expect(Self.visible(line).count <= width, "\(width)x\(height): \(line)") }
            }
        }
    }

    @Test func stylingLevels() {
        let colour = screen(width: 200, height: 10, styling: .colour).joined()
        let mono = screen(width: 200, height: 10, styling: .monochrome).joined()
        let plain = screen(width: 200, height: 10, styling: .none).joined()
        #expect(colour.contains("\u{1B}[32m"), "rates are green")
        #expect(colour.contains("\u{1B}[31m"), "drops are red")
        #expect(!mono.contains("\u{1B}[3"), "NO_COLOR: no colour codes")
        #expect(!mono.contains("\u{1B}[9"))
        #expect(mono.contains("\u{1B}[7m"), "the header bar stays (reverse video is not colour)")
        #expect(!plain.contains("\u{1B}"))
    }
}

@Suite struct MetricsTests {
    static func sample() -> (TrafficSample, HostSnapshot) {
        let pfPCI = PCIAddress("0000:06:00.0")!
        var vf0 = VirtualFunction(
            index: 0, pci: PCIAddress("0000:06:10.0")!, driver: "vfio-pci",
            settings: VFSettings(mac: MACAddress("02:00:00:00:00:01"), vlan: 10, spoofCheck: false, trust: true))
        vf0.counters = VFCounters(broadcast: 0, multicast: 0, rxDropped: 0, txDropped: 0)
        var vf1 = VirtualFunction(index: 1, pci: PCIAddress("0000:06:10.4")!, driver: "igbvf", netdev: "eth2")
        vf1.counters = vf0.counters
        vf1.netdevCounters = VFCounters(
            rxPackets: 7, txPackets: 3, rxBytes: 1 << 60, txBytes: 300, multicast: 2,
            rxDropped: 1, txDropped: 0)
        let pf = PhysicalFunction(pci: pfPCI, name: "enp6s0f0", driver: "igb", totalVFs: 7, numVFs: 2, vfs: [vf0, vf1])
        let snapshot = HostSnapshot(pfs: [pf])
        return (TrafficSample(time: 1, snapshot: snapshot, owners: [vf0.pci: 100]), snapshot)
    }

    static func page(drift: HostMetrics.Drift = .changes(0), lastApply: ApplyRecord? = nil) -> String {
        let (sample, snapshot) = sample()
        return HostMetrics(
            sample: sample, snapshot: snapshot, readError: nil, drift: drift, lastApply: lastApply,
            scrapeSeconds: 0.0042
        ).exposition()
    }

    @Test func countersAreExactAndLabelled() {
        let page = Self.page()
        #expect(page.contains("sriovctl_vf_rx_bytes_total{pf=\"enp6s0f0\",vf=\"1\",pci=\"0000:06:10.4\",source=\"netdev\"} 1152921504606846976"))
        #expect(page.contains("# TYPE sriovctl_vf_rx_bytes_total counter"))
        #expect(!page.contains("sriovctl_vf_rx_broadcast_total"), "a netdev does not count broadcasts apart")
    }

    @Test func aVFWithoutCountersHasInfoButNoCounters() {
        let page = Self.page()
        #expect(!page.contains("sriovctl_vf_rx_bytes_total{pf=\"enp6s0f0\",vf=\"0\""))
        #expect(page.contains("vf=\"0\",pci=\"0000:06:10.0\",vm=\"100\",mac=\"02:00:00:00:00:01\",vlan=\"10\""))
        #expect(page.contains("counter_source=\"none\",note=\"igb has no per-VF counters; watch it inside the guest\"} 1"))
    }

    @Test func driftAndLastApply() {
        let record = ApplyRecord(finishedAt: 1_790_000_000.4, succeeded: false, changes: 3, failure: "EBUSY", trigger: "boot")
        let page = Self.page(drift: .changes(5), lastApply: record)
        #expect(page.contains("sriovctl_config_drift_changes 5\n"))
        #expect(page.contains("sriovctl_config_valid 1\n"))
        #expect(page.contains("sriovctl_last_apply_success{trigger=\"boot\"} 0\n"))
        #expect(page.contains("sriovctl_last_apply_timestamp_seconds{trigger=\"boot\"} 1790000000\n"))
        #expect(page.contains("sriovctl_last_apply_changes{trigger=\"boot\"} 3\n"))
        let invalid = Self.page(drift: .configInvalid("line 3"))
        #expect(invalid.contains("sriovctl_config_valid 0\n"))
        #expect(!invalid.contains("sriovctl_config_drift_changes"))
        #expect(!invalid.contains("sriovctl_last_apply"), "no record, no metric")
    }

    @Test func everyFamilyHasHelpAndTypeOnce() {
        let lines = Self.page(lastApply: ApplyRecord(finishedAt: 1, succeeded: true, changes: 0, failure: nil, trigger: "apply"))
            .split(separator: "\n")
        let samples = lines.filter { !$0.hasPrefix("#") }
        let families = Set(samples.map { $0.prefix { $0 != "{" && $0 != " " } })
        for family in families {
            #expect(lines.filter { $0.hasPrefix("# TYPE \(family) ") }.count == 1, "\(family)")
            #expect(lines.filter { $0.hasPrefix("# HELP \(family) ") }.count == 1, "\(family)")
        }
        #expect(families.count >= 12)
    }

    @Test(arguments: [("a\"b", "a\\\"b"), ("c:\\d", "c:\\\\d"), ("two\nlines", "two\\nlines"), ("plain", "plain")])
    func labelValuesAreEscaped(raw: String, escaped: String) {
        var m = MetricsExposition()
        m.add("x", .gauge, help: "h", labels: [("l", raw)], value: 1)
        #expect(m.text.contains("x{l=\"\(escaped)\"} 1\n"))
    }

    @Test func numbers() {
        var m = MetricsExposition()
        m.add("a", .gauge, help: "h", value: 0.0042)
        m.add("b", .gauge, help: "h", value: 12)
        m.add("c", .counter, help: "h", count: UInt64.max)
        #expect(m.text.contains("a 0.0042\n"))
        #expect(m.text.contains("b 12\n"))
        #expect(m.text.contains("c 18446744073709551615\n"))
    }
}

@Suite struct ListenAddressTests {
    @Test(arguments: [
        ("127.0.0.1:9808", "127.0.0.1", 9808, true), ("0.0.0.0:80", "0.0.0.0", 80, false),
        ("[::1]:9808", "::1", 9808, true), ("192.168.1.5:0", "192.168.1.5", 0, false),
    ])
    func reads(text: String, host: String, port: Int, loopback: Bool) throws {
        let a = try #require(ListenAddress(text))
        #expect(a.host == host)
        #expect(a.port == port)
        #expect(a.isLoopback == loopback)
        #expect(a.description == text)
    }

    @Test(arguments: [
        "localhost:9808", "9808", ":9808", "127.0.0.1:", "127.0.0.1:65536", "127.0.0.1:-1", "1.2.3:80",
        "[::1]9808", "[zz]:80", "127.0.0.1:80; rm", "300.0.0.1:80",
    ])
    func refuses(text: String) {
        #expect(ListenAddress(text) == nil)
    }
}
