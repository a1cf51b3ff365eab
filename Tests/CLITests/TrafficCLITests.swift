import Foundation
import SRIOVHost
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// `top --once --json` and `serve` run as a user runs them, on simulated hosts whose counters advance.
@Suite struct TrafficCLITests {
    typealias Sandbox = CLITests.Sandbox

    static func json(_ text: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
    }

    static func vfs(_ text: String) throws -> [[String: Any]] {
        try #require(try json(text)["vfs"] as? [[String: Any]])
    }

    @Test func perVFRatesOnASimulatedE810() throws {
        let box = try Sandbox()
        box.host = "e810-2port.json"
        let run = try box.run(["top", "--once", "--json", "--interval", "0.5"])
        #expect(run.status == 0, "\(run.err)")
        let top = try Self.json(run.out)
        #expect(top["intervalSeconds"] as? Double == 0.5)
        let vfs = try Self.vfs(run.out)
        #expect(vfs.count == 256, "ens1f0 has 256 VFs, ens1f1 none")
        let vf0 = try #require(vfs.first { $0["index"] as? Int == 0 })
        #expect(vf0["counterSource"] as? String == "vf")
        // examples/e810-2port.json: VF 0 receives 62.5 MB/s = 500 Mbit/s and sends 150 Mbit/s.
        let rx = try #require(vf0["rxBitsPerSecond"] as? Double)
        #expect(abs(rx - 500_000_000) < 5_000_000, "\(rx)")
        let tx = try #require(vf0["txBitsPerSecond"] as? Double)
        #expect(abs(tx - 150_000_000) < 1_500_000, "\(tx)")
        let idle = try #require(vfs.first { $0["index"] as? Int == 5 })
        #expect(idle["rxBitsPerSecond"] as? Double == 0, "an idle VF on a driver with counters is a real 0")
        #expect(vfs.first.map { ($0["index"] as? Int ?? 1) % 6 } == 0, "busiest first: VFs 0, 6, 12... carry the most")
        // docs/reference.md's keys, in order, come first.
        let keys = [
            "pf", "index", "pci", "vm", "counterSource", "rxBitsPerSecond", "txBitsPerSecond", "rxPacketsPerSecond",
            "txPacketsPerSecond", "rxDropped", "txDropped", "note",
        ]
        let text = run.out
        let positions = keys.map { text.range(of: "\"\($0)\"")?.lowerBound }
        #expect(positions.allSatisfy { $0 != nil })
        #expect(positions.compactMap { $0 }.sorted() == positions.compactMap { $0 })
    }

    @Test func igbSaysNoPerVFCountersAndUsesTheNetdevOfHostBoundVFs() throws {
        let box = try Sandbox()
        let config = try box.config(
            """
            [[pf]]
            name = "enp6s0f1"
            num-vfs = 2
            [[pf.vf]]
            index = 0
            driver = "vfio-pci"
            [[pf.vf]]
            index = 1
            driver = "host"
            """)
        #expect(try box.run(["apply", "--config", config]).status == 0)
        let run = try box.run(["top", "enp6s0f1", "--json", "--interval", "0.3"])
        #expect(run.status == 0, "\(run.err)")
        let vfs = try Self.vfs(run.out)
        #expect(vfs.count == 2)
        let passedThrough = try #require(vfs.first { $0["index"] as? Int == 0 })
        #expect(passedThrough["counterSource"] is NSNull)
        #expect(passedThrough["rxBitsPerSecond"] is NSNull, "no counters: null, never 0")
        #expect((passedThrough["note"] as? String)?.contains("igb has no per-VF counters") == true)
        let hostBound = try #require(vfs.first { $0["index"] as? Int == 1 })
        #expect(hostBound["counterSource"] as? String == "netdev")
        #expect((hostBound["rxBitsPerSecond"] as? Double ?? 0) > 0)
        // The same as text, once.
        let text = try box.run(["top", "enp6s0f1", "--once", "--interval", "0.2"])
        #expect(text.out.contains("igb has no per-VF counters"))
        #expect(!text.out.contains("\u{1B}"), "no escape codes when printing once")
    }

    @Test(arguments: [
        (["top", "--interval", "0"], "--interval 0.0: give 0.2 to 60 seconds"),
        (
            ["top", "--sort", "speed", "--once"],
            "The value 'speed' is invalid for '--sort <key>'. Please provide one of 'total', 'rx', 'tx', 'pf' or 'vm'."
        ),
        (["assign", "enp6s0f0", "--vm", "100"], "'<pf:vf>': name the VF as PF:INDEX, for example enp6s0f0:0"),
        (["assign", "enp6s0f0:4096", "--vm", "100"], "'<pf:vf>': name the VF as PF:INDEX, for example enp6s0f0:0 (INDEX 0-4095)"),
        (["apply", "--guest", "100", "--phase", "later"], "Please provide one of 'pre-start' and 'post-stop'."),
        (["apply", "--phase", "post-stop"], "--phase goes with --guest"),
        (["top", "eth9", "--once"], "no SR-IOV capable PF named eth9"),
        (["top"], "top needs a terminal to draw in; for scripts use `sriovctl top --once --json`"),
        (["serve", "--listen", "localhost:9808"], "--listen localhost:9808: give a numeric address and a port"),
        (["serve", "--listen", "127.0.0.1:99999"], "--listen 127.0.0.1:99999"),
    ])
    func badInputIsExplainedAndChangesNothing(args: [String], message: String) throws {
        let box = try Sandbox()
        let run = try box.run(args)
        #expect(run.status == 2, "\(run.out)\(run.err)")
        #expect(run.err.contains(message), "\(run.err)")
        #expect(box.stateBytes() == nil, "nothing was written")
    }

    /// Two VFs applied on the simulated i350's second port, and `serve` on a free loopback port.
    func servingTwoVFs() throws -> (Sandbox, String, CLITests.Background, URL) {
        let box = try Sandbox()
        let config = try box.config("[[pf]]\nname = \"enp6s0f1\"\nnum-vfs = 2\n")
        #expect(try box.run(["apply", "--config", config]).status == 0)
        let server = try CLITests.Background(
            [CLITests.binary.path, "serve", "--listen", "127.0.0.1:0", "--config", config] + box.simulation,
            output: box.dir.appendingPathComponent("serve.out").path)
        // The first line says where it listens (port 0 picks a free one).
        let line = try #require(server.firstLine(), "serve printed nothing")
        let url = try #require(line.split(separator: " ").first { $0.hasPrefix("http://") }.map { URL(string: String($0))! }, "\(line)")
        return (box, config, server, url)
    }

    /// promtool, on PATH or where scripts/test-tools puts it (taken out of Debian's package, no server).
    static let promtool: String? = {
        let fetched = CLITests.examples.deletingLastPathComponent().appendingPathComponent("lab/.cache/tools/usr/bin/promtool").path
        return ["/usr/bin/promtool", "/usr/local/bin/promtool", fetched].first(where: FileManager.default.isExecutableFile)
    }()

    @Test(.enabled(if: promtool != nil, "no promtool (scripts/test-tools fetches it)"))
    func theMetricsPagePassesPromtool() async throws {
        let (box, _, server, url) = try servingTwoVFs()
        let (data, _) = try await URLSession.shared.data(from: url)
        let page = box.dir.appendingPathComponent("metrics.txt").path
        try data.write(to: URL(fileURLWithPath: page))
        let check = try SystemCommandRunner().run(["/bin/sh", "-c", "\"$0\" check metrics < \"$1\"", Self.promtool!, page])
        #expect(check.status == 0, "promtool: \(check.output)\(check.errorOutput)")
        #expect(server.terminate() == 0)
    }

    /// A scrape, an apply that re-creates the VFs, another scrape: counters restart, the record follows.
    @Test func serveFollowsApplies() async throws {
        let (box, config, server, url) = try servingTwoVFs()
        #expect(url.absoluteString.hasSuffix("/metrics"))

        func scrape() async throws -> String {
            let (data, response) = try await URLSession.shared.data(from: url)
            #expect((response as? HTTPURLResponse)?.statusCode == 200)
            return String(decoding: data, as: UTF8.self)
        }
        func value(_ page: String, _ prefix: String) -> Double? {
            page.split(separator: "\n").first { $0.hasPrefix(prefix) }.flatMap { Double($0.split(separator: " ").last ?? "") }
        }
        try await Task.sleep(nanoseconds: 1_200_000_000)
        let before = try await scrape()
        let vf0 = "sriovctl_vf_rx_bytes_total{pf=\"enp6s0f1\",vf=\"0\",pci=\"0000:06:10.1\",source=\"netdev\"}"
        let bytesBefore = try #require(value(before, vf0), "\(before)")
        #expect(bytesBefore > 1_000_000, "a second of simulated traffic")
        #expect(value(before, "sriovctl_config_drift_changes") == 0)
        #expect(value(before, "sriovctl_last_apply_success{trigger=\"apply\"}") == 1)
        #expect(before.contains("sriovctl_vf_info{pf=\"enp6s0f1\",vf=\"1\""))

        // Three VFs instead of two: the planner goes through 0, so the VFs are new.
        try "[[pf]]\nname = \"enp6s0f1\"\nnum-vfs = 3\n".write(toFile: config, atomically: true, encoding: .utf8)
        let drifted = try await scrape()
        #expect((value(drifted, "sriovctl_config_drift_changes") ?? 0) > 0, "the config asks for more than the host has")
        #expect(try box.run(["apply", "--config", config]).status == 0)
        let after = try await scrape()
        let bytesAfter = try #require(value(after, vf0))
        #expect(bytesAfter < bytesBefore, "re-created VFs count from zero")
        #expect(value(after, "sriovctl_pf_vfs{pf=\"enp6s0f1\",pci=\"0000:06:00.1\",driver=\"igb\"}") == 3)
        #expect(value(after, "sriovctl_config_drift_changes") == 0)
        #expect(value(after, "sriovctl_last_apply_changes{trigger=\"apply\"}") ?? 0 > 0)

        let stopped = Date()
        #expect(server.terminate() == 0, "SIGTERM is a graceful stop, not a failure")
        #expect(Date().timeIntervalSince(stopped) < 5)
    }
}
