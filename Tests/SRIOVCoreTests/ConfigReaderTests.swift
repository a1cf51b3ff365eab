import SRIOVCore
import TestSupport
import Testing

@Suite struct ConfigReaderTests {
    static let valid = """
        [[pf]]
        name = "enp6s0f0"
        num-vfs = 6
        mtu = 9000
        autoprobe = false

        [pf.defaults]
        driver = "vfio-pci"

        [[pf.vf]]
        index = 0
        mac = "02:00:00:00:00:01"
        vlan = 100
        qos = 3
        vlan-protocol = "802.1ad"
        spoof-check = false
        trust = true
        link-state = "enable"
        min-tx-rate = 10
        max-tx-rate = 100
        driver = "host"

        [[pf.vf]]
        indexes = "1-3,5"
        mac = "auto"
        """

    @Test func readsEveryKey() throws {
        let config = try ConfigReader.read(Self.valid, path: "t.toml")
        let pf = try #require(config.pfs.first)
        #expect(pf.selector == .name("enp6s0f0"))
        #expect(pf.numVFs == 6 && pf.mtu == 9000 && pf.autoprobe == false)
        #expect(pf.defaults.driver == .vfioPCI)
        let vf0 = pf.written(0)
        #expect(vf0.mac == .fixed(MACAddress("02:00:00:00:00:01")!))
        #expect(vf0.settings.vlan == 100 && vf0.settings.qos == 3 && vf0.settings.vlanProtocol == .dot1ad)
        #expect(vf0.settings.spoofCheck == false && vf0.settings.trust == true && vf0.settings.linkState == .enable)
        #expect(vf0.settings.minTxRate == 10 && vf0.settings.maxTxRate == 100 && vf0.driver == .host)
        #expect(Set(pf.vfs.keys) == [0, 1, 2, 3, 5])
        #expect(pf.written(2).mac == .auto && pf.written(2).driver == .vfioPCI, "defaults fill what a VF leaves out")
        #expect(pf.written(4).driver == .vfioPCI && pf.written(4).settings.vlan == nil)
    }

    @Test(arguments: [
        ("pci = \"0000:06:00.0\"", PFSelector.pci(PCIAddress("0000:06:00.0")!)),
        ("mac = \"a0:36:9f:00:00:01\"", PFSelector.mac(MACAddress("a0:36:9f:00:00:01")!)),
    ])
    func pfCanBeNamedByPCIOrMAC(line: String, selector: PFSelector) throws {
        let config = try ConfigReader.read("[[pf]]\n\(line)\nnum-vfs = 1\n", path: "t.toml")
        #expect(config.pfs.first?.selector == selector)
    }

    /// One rule each: the text, the line and column reported, and words the message must contain.
    @Test(arguments: [
        ("[[pf]]\nnum-vfs = 1", 1, 1, "exactly one of name, pci or mac (none is given)"),
        ("[[pf]]\nname = \"a\"\npci = \"0000:06:00.0\"\nnum-vfs = 1", 1, 1, "name and pci are given"),
        ("[[pf]]\nname = \"a\"", 1, 1, "num-vfs is required"),
        ("[[pf]]\nname = \"a\"\nnum-vfs = -1", 3, 11, "num-vfs must be a whole number"),
        ("[[pf]]\nname = \"a\"\nnum-vfs = 2\n[[pf.vf]]\nindex = 2", 5, 9, "VF 2 does not exist: num-vfs is 2, so VF indexes are 0-1"),
        ("[[pf]]\nname = \"a\"\nnum-vfs = 8\n[[pf.vf]]\nindexes = \"3-1\"", 5, 11, "goes down"),
        ("[[pf]]\nname = \"a\"\nnum-vfs = 8\n[[pf.vf]]\nindexes = \"1-,2\"", 5, 11, "is not an index or a range"),
        ("[[pf]]\nname = \"a\"\nnum-vfs = 8\n[[pf.vf]]\nindexes = \"1,1\"", 5, 11, "appears twice"),
        ("[[pf]]\nname = \"a\"\nnum-vfs = 8\n[[pf.vf]]\nindex = 1\n[[pf.vf]]\nindexes = \"0-2\"", 6, 1, "VF 1 is already configured by pf[0].vf[0]"),
        ("[[pf]]\nname = \"a\"\nnum-vfs = 8\n[[pf.vf]]\nvlan = 1", 4, 1, "say which VF this is"),
        ("[[pf]]\nname = \"a\"\nnum-vfs = 8\n[[pf.vf]]\nindex = 0\nindexes = \"1\"", 4, 1, "not both"),
        ("[[pf]]\nname = \"a\"\nnum-vfs = 8\n[[pf.vf]]\nindex = 0\nvlan = 4095", 6, 8, "vlan must be an integer 0-4094 (0 = untagged) (found 4095)"),
        (
            "[[pf]]\nname = \"a\"\nnum-vfs = 8\n[[pf.vf]]\nindex = 0\nvlan = \"100\"", 6, 8,
            "vlan must be an integer 0-4094 (0 = untagged) (found a string \"100\")"
        ),
        ("[[pf]]\nname = \"a\"\nnum-vfs = 8\n[[pf.vf]]\nindex = 0\nqos = 8", 6, 7, "qos must be an integer 0-7"),
        ("[[pf]]\nname = \"a\"\nnum-vfs = 8\n[[pf.vf]]\nindex = 0\nmax-tx-rate = -5", 6, 15, "max-tx-rate must be a rate in Mbit/s"),
        (
            "[[pf]]\nname = \"a\"\nnum-vfs = 8\n[[pf.vf]]\nindex = 0\nmin-tx-rate = 50\nmax-tx-rate = 10", 6, 15,
            "min-tx-rate (50) is above max-tx-rate (10)"
        ),
        ("[[pf]]\nname = \"a\"\nnum-vfs = 8\n[[pf.vf]]\nindex = 0\nmac = \"01:00:5e:00:00:01\"", 6, 7, "multicast"),
        ("[[pf]]\nname = \"a\"\nnum-vfs = 8\n[[pf.vf]]\nindex = 0\nmac = \"00:00:00:00:00:00\"", 6, 7, "unset MAC"),
        ("[[pf]]\nname = \"a\"\nnum-vfs = 8\n[[pf.vf]]\nindex = 0\nmac = \"02:00:00:00:00\"", 6, 7, "mac must be \"auto\", \"keep\" or a MAC"),
        ("[[pf]]\nname = \"a\"\nnum-vfs = 8\n[[pf.vf]]\nindex = 0\nspoof-check = \"no\"", 6, 15, "spoof-check must be true or false"),
        (
            "[[pf]]\nname = \"a\"\nnum-vfs = 8\n[[pf.vf]]\nindex = 0\nlink-state = \"up\"", 6, 14,
            "link-state must be one of \"auto\", \"enable\", \"disable\""
        ),
        (
            "[[pf]]\nname = \"a\"\nnum-vfs = 8\n[[pf.vf]]\nindex = 0\ndriver = \"igbvf\"", 6, 10,
            "driver must be one of \"vfio-pci\", \"host\", \"none\", \"keep\""
        ),
        ("[[pf]]\nname = \"a\"\nnum-vfs = 8\n[[pf.vf]]\nindex = 0\nvlan-protocol = \"802.1x\"", 6, 17, "vlan-protocol must be one of"),
        (
            "[[pf]]\nname = \"a\"\nnum-vfs = 8\n[[pf.vf]]\nindex = 0\nspoofchk = false", 6, 1,
            "unknown key \"spoofchk\"; did you mean \"spoof-check\"?"
        ),
        ("[[pf]]\nname = \"a\"\nnumvfs = 8", 3, 1, "did you mean \"num-vfs\"?"),
        ("[[pf]]\nname = \"a/b\"\nnum-vfs = 1", 2, 8, "name must be an interface name"),
        ("[[pf]]\npci = \"06:00\"\nnum-vfs = 1", 2, 7, "pci must be a PCI address"),
        ("[[pf]]\nname = \"a\"\nnum-vfs = 1\n[[pf]]\nname = \"a\"\nnum-vfs = 2", 4, 1, "a is already configured by pf[0]"),
        ("pf = 1", 1, 6, "each PF is a [[pf]] table"),
        ("[[pf]]\nname = \"a\"\nnum-vfs = 1\nmtu = 20", 4, 7, "mtu must be an integer 68-65535"),
        ("[[pf]]\nname = \"a\"\nnum-vfs = 1\n[pf.defaults]\nindex = 0", 5, 1, "unknown key \"index\""),
        ("[[pf]\nname = \"a\"", 1, 6, "not valid TOML: expected ]]"),
    ])
    func eachRuleNamesTheProblemAndItsPlace(source: String, line: Int, column: Int, words: String) {
        do {
            _ = try ConfigReader.read(source, path: "/etc/sriovctl/sriovctl.toml")
            Issue.record("accepted: \(source)")
        } catch {
            let match = error.diagnostics.first { $0.message.contains(words) }
            #expect(match != nil, "no diagnostic says \"\(words)\": \(error)")
            #expect(match?.location.position == SourcePosition(line: line, column: column), "\(error)")
            #expect(match?.location.file == "/etc/sriovctl/sriovctl.toml")
            #expect(error.description.contains("/etc/sriovctl/sriovctl.toml:\(line):\(column)"), "\(error)")
        }
    }

    @Test func allProblemsAreReportedAtOnce() {
        let source = "[[pf]]\nname = \"a\"\nnum-vfs = 2\nbogus = 1\n[[pf.vf]]\nindex = 5\nvlan = 9999\nqos = 9"
        do {
            _ = try ConfigReader.read(source, path: "t.toml")
            Issue.record("accepted")
        } catch {
            #expect(error.diagnostics.count == 4, "\(error)")
            #expect(error.description.hasPrefix("the config has 4 problems; nothing was changed:"))
            // Sorted by place in the file.
            #expect(error.diagnostics.map { $0.location.position?.line ?? 0 } == [4, 6, 7, 8])
        }
    }

    @Test func indexListsExpand() throws {
        #expect(try IndexList.parse("1-3,5").indexes == [1, 2, 3, 5])
        #expect(try IndexList.parse(" 0 , 7-7").indexes == [0, 7])
        #expect(try IndexList.parse("3,1-2,2").repeated == IndexList.Repeated(first: 2, count: 1))
        #expect(try IndexList.parse("5-9,1-6,8").repeated == IndexList.Repeated(first: 5, count: 3), "5, 6, then 8")
        #expect(try IndexList.parse("1-3,5").repeated == nil)
        #expect(throws: IndexList.Problem.malformed("+5")) { try IndexList.parse("+5") }
        #expect(throws: IndexList.Problem.malformed("0-65536")) { try IndexList.parse("0-65536") }
        #expect(throws: IndexList.Problem.malformed("a")) { try IndexList.parse("a") }
        #expect(throws: IndexList.Problem.descending("5-2")) { try IndexList.parse("5-2") }
    }

    /// Thirty overlapping full ranges: bounded work, one diagnostic, not millions.
    @Test func overlappingRangesAreBoundedAndReportedOnce() throws {
        let list = Array(repeating: "0-65535", count: 30).joined(separator: ",")
        let parsed = try IndexList.parse(list)
        #expect(parsed.indexes.count == 65_536)
        #expect(parsed.repeated == IndexList.Repeated(first: 0, count: 29 * 65_536), "counted, not listed")
        let toml = "[[pf]]\nname = \"eth0\"\nnum-vfs = 7\n[[pf.vf]]\nindexes = \"\(list)\"\n"
        #expect {
            _ = try ConfigReader.read(toml, path: "c.toml")
        } throws: { error in
            let text = "\(error)"
            return text.contains("VF 0 appears twice") && text.contains("and 1900543 more indexes written twice") && text.utf8.count < 4_000
        }
    }

    /// 100 KB of full ranges (13,000 parts): each index is marked once, so this is
    /// linear in the list's length (it walked 850 million indexes when each part walked its range).
    @Test func aMegabyteOfFullRangesIsCountedExactly() throws {
        let list = Array(repeating: "0-65535", count: 13_000).joined(separator: ",")
        let parsed = try IndexList.parse(list)
        #expect(parsed.indexes.count == 65_536 && parsed.repeated == IndexList.Repeated(first: 0, count: 12_999 * 65_536))
    }

    /// The parse against the obvious one (a set, parts in writing order), on 4,000 lists of up
    /// to 12 parts from a fixed seed, short ones inside a word of the bitmap and long ones across
    /// words: same indexes, same first repeat, same count.
    @Test(arguments: [(40, 9), (400, 200)])
    func indexListsAgreeWithTheObviousParse(lows: Int, length: Int) throws {
        var random = SplitMix(seed: UInt64(lows))
        for _ in 0..<2_000 {
            var parts: [(Int, Int)] = []
            for _ in 0..<Int.random(in: 1...12, using: &random) {
                let low = Int.random(in: 0...lows, using: &random)
                parts.append((low, low + Int.random(in: 0...length, using: &random)))
            }
            var seen = Set<Int>()
            var first: Int?
            var count = 0
            for (low, high) in parts {
                for i in low...high where !seen.insert(i).inserted {
                    if first == nil { first = i }
                    count += 1
                }
            }
            let text = parts.map { $0 == $1 ? "\($0)" : "\($0)-\($1)" }.joined(separator: ",")
            let parsed = try IndexList.parse(text)
            #expect(parsed.indexes == seen.sorted(), "\(text)")
            #expect(parsed.repeated == first.map { IndexList.Repeated(first: $0, count: count) }, "\(text)")
        }
    }

    /// Many VF tables each naming every index: one "already configured" line per table, counted.
    @Test func manyFullTablesAreCountedNotListed() {
        let tables = String(repeating: "[[pf.vf]]\nindexes = \"0-65535\"\n", count: 10)
        #expect {
            _ = try ConfigReader.read("[[pf]]\nname = \"a\"\nnum-vfs = 65535\n" + tables, path: "c.toml")
        } throws: { error in
            let text = "\(error)"
            return text.contains("pf[0].vf[1]: VF 0 is already configured by pf[0].vf[0] (and 65534 more VFs)")
                && text.contains("pf[0].vf[9]: VF 0 is already configured by pf[0].vf[0]")
                && text.contains("VF 65535 does not exist: num-vfs is 65535")
        }
    }

    @Test(arguments: [
        ("a = 9223372036854775808", "out of range"),
        ("a = " + String(repeating: "[", count: 3_000) + String(repeating: "]", count: 3_000), "nested more than 64 deep"),
        ("a = " + String(repeating: "{b = ", count: 100) + "1" + String(repeating: "}", count: 100), "nested more than 64 deep"),
    ])
    func hostileTOMLIsRefusedWithAReason(toml: String, words: String) {
        #expect {
            _ = try ConfigReader.read(toml, path: "c.toml")
        } throws: { "\($0)".contains(words) }
    }

    @Test func echoedValuesAreCutAndEscaped() throws {
        let long = String(repeating: "x", count: 1_000_000)
        #expect {
            _ = try ConfigReader.read("[[pf]]\nname = \"eth0\"\nnum-vfs = 2\n\(long) = 1\n", path: "c.toml")
        } throws: { error in
            let text = "\(error)"
            return text.utf8.count < 2_000 && text.contains("(999920 more characters)")
        }
        #expect("eth0\u{1b}[31m\nx".echoed() == "eth0\\u{1b}[31m\\nx")
    }

    @Test func aManyProblemFileShowsTheFirstFifty() throws {
        let toml = "[[pf]]\nname = \"eth0\"\nnum-vfs = 2\n" + (0..<300).map { "bad\($0) = 1\n" }.joined()
        #expect {
            _ = try ConfigReader.read(toml, path: "c.toml")
        } throws: { error in
            let text = "\(error)"
            return text.contains("the config has 300 problems") && text.contains("... and 250 more")
                && text.split(separator: "\n").count == 52
        }
    }

    @Test(arguments: ["+2:00:00:00:00:01", "02:00:00:00:00:0g", "2:00:00:00:00:01"])
    func signedOrShortMACsAreRefused(text: String) { #expect(MACAddress(text) == nil) }

    @Test(arguments: ["+000:06:00.0", "0000:06:00.+", "0000:-6:00.0"])
    func signedPCIAddressesAreRefused(text: String) { #expect(PCIAddress(text) == nil) }
}

@Suite struct InitConfigTextTests {
    /// A PF without an interface is named by PCI address; odd names are quoted safely; a VF on
    /// pci-stub is left alone; an unreported MAC is kept.
    @Test func theTextIsValidTOMLForOddHosts() throws {
        let pci = PCIAddress("0000:81:00.0")!
        var unreported = VFSettings.freshlyCreated
        unreported.mac = nil
        let host = HostSnapshot(pfs: [
            PhysicalFunction(
                pci: pci, name: nil, driver: "mlx5_core", totalVFs: 8, numVFs: 2,
                vfs: [
                    VirtualFunction(index: 0, pci: PCIAddress("0000:81:00.2")!, driver: "pci-stub", settings: unreported),
                    VirtualFunction(index: 1, pci: PCIAddress("0000:81:00.3")!, driver: nil, settings: .freshlyCreated),
                ]),
            PhysicalFunction(pci: PCIAddress("0000:82:00.0")!, name: "we\"ird\\", driver: "ice", totalVFs: 2, numVFs: 0),
        ])
        let text = ConfigFromHost.text(snapshot: host, source: "a test")
        #expect(text.contains("pci = \"0000:81:00.0\""))
        #expect(text.contains("driver = \"keep\"") && text.contains("driver = \"none\""))
        #expect(text.contains("# name = \"we\\\"ird\\\\\""), "commented out, escaped: \(text)")
        let config = try ConfigReader.read(text, path: "init.toml")
        #expect(config.pfs.count == 1 && config.pfs[0].numVFs == 2)
        #expect(config.pfs[0].written(0).mac == .keep && config.pfs[0].written(1).mac == .keep)
        #expect(config.pfs[0].written(0).driver == .keep && config.pfs[0].written(1).driver == DriverChoice.none)
        #expect(try Planner.plan(DesiredHost.resolve(config, on: host)).steps.isEmpty)
    }

    @Test func keepIsAMACChoice() throws {
        let config = try ConfigReader.read("[[pf]]\nname = \"a\"\nnum-vfs = 1\n[[pf.vf]]\nindex = 0\nmac = \"keep\"\n", path: "t.toml")
        #expect(config.pfs[0].written(0).mac == .keep)
    }
}
