import SRIOVCore
import SRIOVHost
import Testing

/// Each driver fact, through the simulated host that behaves by the driver's profile: `plan`
/// refuses (exit 2, nothing written), notes, or accepts; the simulated kernel answers as the
/// driver's source does when asked anyway.
@Suite struct DriverProfileSimulatedTests {
    static func host(driver: String, vfDevice: String = "8086:1520", totalVfs: Int = 8, linkUp: Bool = true) -> SimulatedHost {
        SimulatedHost(
            description: SimulatedHostDescription(pfs: [
                .init(
                    name: "p0", pci: "0000:06:00.0", driver: driver, vfDriver: "vf", permanentMac: "a0:36:9f:00:00:01",
                    totalVfs: totalVfs, vfDevice: vfDevice, vfOffset: 128, vfStride: 1, mtu: 1500, linkUp: linkUp,
                    iommuGroupBase: 20, initialVfs: 0)
            ]))
    }

    /// The outcome of planning `vfLines` (under `[[pf.vf]] index = 0`) for a PF with `driver`.
    enum Outcome: Equatable {
        case accepted(notes: [String])
        case refused([String])
    }

    static func plan(_ host: SimulatedHost, numVFs: Int = 1, pfLines: String = "", vfLines: String) throws -> Outcome {
        let toml = "[[pf]]\nname = \"p0\"\nnum-vfs = \(numVFs)\n\(pfLines)\n[[pf.vf]]\nindex = 0\n\(vfLines)"
        do {
            let desired = try DesiredHost.resolve(try ConfigReader.read(toml, path: "t.toml"), on: try host.snapshot())
            return .accepted(notes: desired.driverNotes)
        } catch let error as ConfigError {
            return .refused(error.diagnostics.map(\.message))
        }
    }

    struct Case: CustomTestStringConvertible, Sendable {
        var driver: String
        var vfDevice = "8086:1520"
        var totalVfs = 8
        var numVFs = 1
        var lines: String
        /// Words every refusal (or note) must have; nil: accepted without a note.
        var refused: [String]?
        var noted: [String]?
        var testDescription: String { "\(driver) \(vfDevice) \(lines.replacingOccurrences(of: "\n", with: "; "))" }
    }

    static let cases: [Case] = [
        // igb on an I350 (VF 8086:1520): no link state, no rates, 802.1Q only, at most 7 VFs.
        Case(driver: "igb", lines: "link-state = \"disable\"", refused: ["EOPNOTSUPP", "igb (i350)", "link-state"]),
        Case(driver: "igb", lines: "max-tx-rate = 100", refused: ["EOPNOTSUPP", "82576", "igb_ndo_set_vf_bw"]),
        Case(driver: "igb", lines: "min-tx-rate = 10", refused: ["EOPNOTSUPP"]),
        Case(driver: "igb", lines: "vlan = 10\nvlan-protocol = \"802.1ad\"", refused: ["EPROTONOSUPPORT", "igb_ndo_set_vf_vlan"]),
        Case(driver: "igb", numVFs: 8, lines: "trust = true", refused: ["EPERM", "at most 7", "igb_enable_sriov"]),
        Case(driver: "igb", lines: "trust = true\nspoof-check = false\nvlan = 20"),
        // igb on an 82576 (VF 8086:10ca): a max rate, with the link up; no min rate.
        Case(driver: "igb", vfDevice: "8086:10ca", lines: "max-tx-rate = 100", noted: ["link", "igb_ndo_set_vf_bw"]),
        Case(driver: "igb", vfDevice: "8086:10ca", lines: "min-tx-rate = 10", refused: ["EINVAL", "igb (82576)"]),
        // ixgbe: enable is accepted and ignored; no min rate; no max of 10 or less; at most 63 VFs.
        Case(driver: "ixgbe", lines: "link-state = \"enable\"", refused: ["does nothing", "ixgbe_ndo_set_vf_link_state"]),
        Case(driver: "ixgbe", lines: "link-state = \"disable\""),
        Case(driver: "ixgbe", lines: "max-tx-rate = 5", refused: ["EINVAL", "above 10"]),
        Case(driver: "ixgbe", lines: "max-tx-rate = 1000", noted: ["10 Gb/s"]),
        Case(driver: "ixgbe", lines: "min-tx-rate = 100", refused: ["EINVAL"]),
        Case(driver: "ixgbe", totalVfs: 64, numVFs: 64, lines: "trust = true", refused: ["EPERM", "63"]),
        // i40e: rates in 50 Mbit/s steps; no min rate; 802.1Q only.
        Case(driver: "i40e", lines: "max-tx-rate = 120", noted: ["enforced as 100 Mbit/s", "i40e_set_bw_limit"]),
        Case(driver: "i40e", lines: "max-tx-rate = 30", noted: ["enforced as 50 Mbit/s"]),
        Case(driver: "i40e", lines: "max-tx-rate = 150\nlink-state = \"disable\"\ntrust = true"),
        Case(driver: "i40e", lines: "min-tx-rate = 10", refused: ["EINVAL", "i40e_ndo_set_vf_bw"]),
        Case(driver: "i40e", lines: "vlan = 5\nvlan-protocol = \"802.1ad\"", refused: ["EPROTONOSUPPORT"]),
        // ice: both rates; 802.1ad only in double VLAN mode.
        Case(driver: "ice", lines: "min-tx-rate = 100\nmax-tx-rate = 1000\nlink-state = \"enable\""),
        Case(driver: "ice", lines: "vlan = 5\nvlan-protocol = \"802.1ad\"", noted: ["double VLAN mode", "EPROTONOSUPPORT"]),
        // mlx5: link state only in legacy eswitch mode; 802.1Q only.
        Case(driver: "mlx5_core", lines: "link-state = \"disable\"", noted: ["legacy"]),
        Case(driver: "mlx5_core", lines: "vlan = 5\nvlan-protocol = \"802.1ad\"", refused: ["EPROTONOSUPPORT", "mlx5e_set_vf_vlan"]),
        Case(driver: "mlx5_core", lines: "min-tx-rate = 100\nmax-tx-rate = 1000"),
        // bnxt: QoS depends on kernel and firmware.
        Case(driver: "bnxt_en", lines: "vlan = 5\nqos = 3", noted: ["bnxt_set_vf_vlan", "EINVAL"]),
        Case(driver: "bnxt_en", lines: "min-tx-rate = 100\nmax-tx-rate = 1000\nlink-state = \"disable\"\ntrust = true"),
        // virtio: no VF operations at all.
        Case(driver: "virtio-pci", lines: "mac = \"keep\"\ntrust = true", refused: ["EOPNOTSUPP", "virtio_net", "trust"]),
        Case(driver: "virtio-pci", lines: "", refused: ["EOPNOTSUPP", "mac", "mac = \"keep\""]),
        // rss-query: only ixgbe has ndo_set_vf_rss_query_en (82599 and X540); the others refuse any value.
        Case(driver: "igb", lines: "rss-query = true", refused: ["EOPNOTSUPP", "ndo_set_vf_rss_query_en", "igb_netdev_ops"]),
        Case(driver: "igb", lines: "rss-query = false", refused: ["EOPNOTSUPP", "rss-query = false"]),
        Case(driver: "i40e", lines: "rss-query = true", refused: ["EOPNOTSUPP", "i40e_netdev_ops"]),
        Case(driver: "ice", lines: "rss-query = true", refused: ["EOPNOTSUPP", "ice_netdev_ops"]),
        Case(driver: "mlx5_core", lines: "rss-query = true", refused: ["EOPNOTSUPP", "mlx5e_netdev_ops"]),
        Case(driver: "bnxt_en", lines: "rss-query = true", refused: ["EOPNOTSUPP", "bnxt_netdev_ops"]),
        Case(driver: "virtio-pci", lines: "mac = \"keep\"\nrss-query = false", refused: ["EOPNOTSUPP", "virtnet_netdev"]),
        Case(driver: "ixgbe", lines: "rss-query = true", noted: ["82599 and X540", "EOPNOTSUPP"]),
        // A driver sriovctl does not know: nothing refused in advance.
        Case(driver: "frobnic", lines: "min-tx-rate = 100\nlink-state = \"disable\"\nvlan = 3\nvlan-protocol = \"802.1ad\""),
    ]

    @Test(arguments: cases)
    func planFollowsTheDriversSource(_ c: Case) throws {
        let host = Self.host(driver: c.driver, vfDevice: c.vfDevice, totalVfs: c.totalVfs)
        let outcome = try Self.plan(host, numVFs: c.numVFs, vfLines: c.lines)
        switch (outcome, c.refused) {
        case let (.refused(messages), words?):
            #expect(messages.count == 1, "\(messages)")
            for word in words { #expect(messages.allSatisfy { $0.contains(word) }, "\(word) in \(messages)") }
        case let (.accepted(notes), nil):
            #expect(notes.isEmpty == (c.noted == nil), "\(notes)")
            for word in c.noted ?? [] { #expect(notes.contains { $0.contains(word) }, "\(word) in \(notes)") }
        default:
            Issue.record("expected \(c.refused.map { "refused with \($0)" } ?? "accepted"), got \(outcome)")
        }
    }

    @Test func aRefusedSettingIsSaidOnceForEveryVFItTouches() throws {
        let host = Self.host(driver: "igb")
        let toml = "[[pf]]\nname = \"p0\"\nnum-vfs = 4\n[pf.defaults]\nlink-state = \"disable\""
        #expect(throws: ConfigError.self) { try DesiredHost.resolve(try ConfigReader.read(toml, path: "t.toml"), on: try host.snapshot()) }
        do {
            _ = try DesiredHost.resolve(try ConfigReader.read(toml, path: "t.toml"), on: try host.snapshot())
        } catch let error as ConfigError {
            #expect(error.diagnostics.count == 1)
            #expect(error.diagnostics[0].message.contains("VFs 0-3"), "\(error)")
            #expect(error.diagnostics[0].location.position?.line == 5, "said where defaults set it: \(error)")
        }
    }

    @Test func bnxtNeedsItsPFUpBeforeVFs() throws {
        let down = Self.host(driver: "bnxt_en", linkUp: false)
        // Kept down by the config: refused before anything changes.
        guard case let .refused(messages) = try Self.plan(down, numVFs: 2, pfLines: "link = \"keep\"", vfLines: "") else {
            Issue.record("link = keep on a down bnxt PF was accepted")
            return
        }
        #expect(messages.contains { $0.contains("bnxt_sriov_configure") && $0.contains("link") }, "\(messages)")
        // Otherwise the plan brings it up first, and says why.
        let desired = try DesiredHost.resolve(
            try ConfigReader.read("[[pf]]\nname = \"p0\"\nnum-vfs = 2", path: "t.toml"), on: try down.snapshot())
        let steps = Planner.plan(desired).steps
        #expect(steps.first?.action == .setLinkUp && steps.first?.reason.contains("bnxt_en creates no VFs") == true, "\(steps)")
    }

    // MARK: - The simulated kernel, asked anyway

    @Test func theSimulatedKernelAnswersAsTheDriverDoes() throws {
        var igb = Self.host(driver: "igb")
        #expect(
            throws: HostError.driverRefused(
                pf: "p0", driver: "igb", setting: "8 VFs", errno: "EPERM", why: DriverProfile.of(driver: "igb").vfLimit!.why)
        ) {
            try igb.setNumVFs(pf: "0000:06:00.0", to: 8)
        }
        try igb.setNumVFs(pf: "0000:06:00.0", to: 2)
        #expect(throws: HostError.self) { try igb.setVF(pf: "0000:06:00.0", index: 0, VFSettings(maxTxRate: 100)) }
        #expect(try igb.snapshot().pfs[0].vfs[0].settings.maxTxRate == 0, "a refused rate changes nothing")

        var ixgbe = Self.host(driver: "ixgbe")
        try ixgbe.setNumVFs(pf: "0000:06:00.0", to: 1)
        try ixgbe.setVF(pf: "0000:06:00.0", index: 0, VFSettings(linkState: .enable))
        #expect(try ixgbe.snapshot().pfs[0].vfs[0].settings.linkState == .auto, "ixgbe accepts enable and does nothing")

        // rss-query: ixgbe takes and reports it; igb refuses it and reports nothing (the kernel's -1).
        try ixgbe.setVF(pf: "0000:06:00.0", index: 0, VFSettings(rssQuery: true))
        #expect(try ixgbe.snapshot().pfs[0].vfs[0].settings.rssQuery == true)
        #expect(throws: HostError.self) { try igb.setVF(pf: "0000:06:00.0", index: 0, VFSettings(rssQuery: true)) }
        #expect(try igb.snapshot().pfs[0].vfs[0].settings.rssQuery == nil, "igb reports no rss_query_en")

        var bnxt = Self.host(driver: "bnxt_en", linkUp: false)
        #expect(throws: HostError.self) { try bnxt.setNumVFs(pf: "0000:06:00.0", to: 4) }
        #expect(try bnxt.snapshot().pfs[0].numVFs == 0, "bnxt_en made none while the PF was down")
        try bnxt.setLinkUp(pf: "0000:06:00.0", true)
        try bnxt.setNumVFs(pf: "0000:06:00.0", to: 4)
        #expect(try bnxt.snapshot().pfs[0].numVFs == 4)
    }
}
