import Foundation
import SRIOVHost
import Testing

/// `sync-bridge-fdb` as a user runs it on the simulated homelab host: vmbr0 over enp6s0f0 with
/// a VM's tap, a container's veth and a box on the wire behind it.
@Suite struct BridgeFDBCLITests {
    typealias Sandbox = CLITests.Sandbox

    static let config = """
        [[pf]]
        name = "enp6s0f0"
        num-vfs = 4
        sync-bridge-fdb = true
        [[pf.vf]]
        index = 0
        mac = "02:00:00:00:aa:01"
        vm = 100
        """

    static func entries(_ box: Sandbox) throws -> Int? {
        let status = try box.run(["status", "enp6s0f0", "--json"])
        let json = try JSONSerialization.jsonObject(with: Data(status.out.utf8)) as? [String: Any]
        return ((json?["pfs"] as? [[String: Any]])?.first)?["bridgeFdbEntries"] as? Int
    }

    @Test func planApplyGuestPhasesAndTurningItOff() throws {
        let box = try Sandbox()
        let config = try box.config(Self.config)
        let plan = try box.run(["plan", "--config", config])
        #expect(plan.out.contains("+bc:24:11:5e:01:01 (on tap101i0 of vmbr0)"), "\(plan.out)")
        #expect(plan.out.contains("+bc:24:11:5e:02:01 (on veth102i0 of vmbr0)"))
        #expect(!plan.out.contains("00:1b:21:aa:bb:cc"), "learned on the PF: it is on the wire")
        #expect(!plan.out.contains("fe:24:11:5e:01:01"), "the tap's own address is not a guest")
        #expect(!plan.out.contains("+02:00:00:00:aa:01"), "the VF's own MAC never goes in the PF's table")

        let apply = try box.run(["apply", "--config", config])
        #expect(apply.status == 0, "\(apply.out)\(apply.err)")
        #expect(apply.out.contains("Verified"))
        #expect(try Self.entries(box) == 2)
        #expect(try box.run(["plan", "--config", config, "--detailed-exitcode"]).status == 0, "nothing left to do")
        #expect(try box.run(["status", "enp6s0f0"]).out.contains("bridge fdb 2 synced"))
        let written = try box.run(["init", "--stdout"])
        #expect(written.out.contains("sync-bridge-fdb = true"), "init keeps the key of a PF whose table sriovctl keeps: \(written.out)")

        // The hookscript's phases for VM 103 (stopped, net0 on vmbr0): its MAC before its first frame, then out.
        let start = try box.run(["apply", "--guest", "103", "--phase", "pre-start", "--config", config])
        #expect(start.status == 0, "\(start.out)\(start.err)")
        #expect(start.err.contains("bc:24:11:5e:03:01"), "\(start.err)")
        #expect(try Self.entries(box) == 3)
        let stop = try box.run(["apply", "--guest", "103", "--phase", "post-stop", "--config", config])
        #expect(stop.status == 0, "\(stop.out)\(stop.err)")
        #expect(try Self.entries(box) == 2)

        // Off: exactly what sriovctl added goes.
        let off = try box.config(Self.config.replacingOccurrences(of: "sync-bridge-fdb = true\n", with: ""))
        let offPlan = try box.run(["plan", "--config", off])
        #expect(offPlan.out.contains("-bc:24:11:5e:01:01") && offPlan.out.contains("-bc:24:11:5e:02:01"), "\(offPlan.out)")
        #expect(try box.run(["apply", "--config", off]).status == 0)
        #expect(try Self.entries(box) == 0)
        #expect(try box.run(["plan", "--config", off, "--detailed-exitcode"]).status == 0)
    }

    /// The hookscript goes to the VF guest and to the guests with a network device on vmbr0.
    @Test func hookscriptInstallAttachesToBridgedGuestsToo() throws {
        let box = try Sandbox()
        let config = try box.config(Self.config)
        let install = try box.run(["hookscript", "install", "--binary", "/usr/sbin/sriovctl", "--config", config])
        #expect(install.status == 0, "\(install.out)\(install.err)")
        for vm in [100, 101, 103] {
            #expect(install.out.contains("ran qm set \(vm) --hookscript local:snippets/sriovctl-hook.sh"), "VM \(vm): \(install.out)")
        }
        let without = try box.config(Self.config.replacingOccurrences(of: "sync-bridge-fdb = true\n", with: ""))
        let plain = try Sandbox()
        let only = try plain.run(["hookscript", "install", "--binary", "/usr/sbin/sriovctl", "--config", without])
        #expect(only.out.contains("qm set 100 --hookscript") && !only.out.contains("qm set 101"), "\(only.out)")
    }

    /// `check` says what the PF's table lacks, and when a PF with the key is on no bridge.
    @Test func checkNamesWhatIsMissingAndAPFOnNoBridge() throws {
        let box = try Sandbox()
        let text = Self.config + "\n[[pf]]\nname = \"enp6s0f1\"\nnum-vfs = 0\nsync-bridge-fdb = true\n"
        let config = try box.config(text)
        func results() throws -> [String: [String: Any]] {
            let run = try box.run(["check", "--json", "--config", config])
            let json = try #require(try JSONSerialization.jsonObject(with: Data(run.out.utf8)) as? [String: Any])
            let checks = try #require(json["checks"] as? [[String: Any]])
            return Dictionary(uniqueKeysWithValues: checks.compactMap { c in (c["id"] as? String).map { ($0, c) } })
        }
        let before = try results()
        #expect(before["bridge-fdb-enp6s0f0"]?["state"] as? String == "warn")
        #expect(
            (before["bridge-fdb-enp6s0f0"]?["evidence"] as? String)?.contains("2 MACs behind vmbr0") == true,
            "\(before["bridge-fdb-enp6s0f0"] ?? [:])")
        #expect((before["bridge-fdb-enp6s0f1"]?["evidence"] as? String)?.contains("not a port of a bridge") == true)
        #expect(try box.run(["apply", "--config", config]).status == 0)
        let after = try results()
        #expect(after["bridge-fdb-enp6s0f0"]?["state"] as? String == "ok", "\(after["bridge-fdb-enp6s0f0"] ?? [:])")
    }

    @Test func aFullFilterIsSaidOnceAndOthersAreNeverTouched() throws {
        let box = try Sandbox()
        box.host = "../Tests/Fixtures/bridge-fdb/full-filter.json"
        let config = try box.config("[[pf]]\nname = \"enp6s0f0\"\nnum-vfs = 2\nsync-bridge-fdb = true\n")
        let apply = try box.run(["apply", "--config", config])
        #expect(apply.status == 1, "two MACs are refused: \(apply.out)")
        let refusals = apply.out.components(separatedBy: "address filter is full").count - 1
        #expect(refusals == 1, "said once for the PF: \(apply.out)")
        #expect(apply.out.contains("2 MACs were not added"), "\(apply.out)")
        #expect(try Self.entries(box) == 1)
        let off = try box.config("[[pf]]\nname = \"enp6s0f0\"\nnum-vfs = 2\n")
        #expect(try box.run(["apply", "--config", off]).status == 0)
        #expect(try Self.entries(box) == 0)
        // 02:00:00:00:00:55 was in the table before: still there (the state is the witness).
        let state = try String(contentsOfFile: box.state, encoding: .utf8)
        #expect(state.contains("02:00:00:00:00:55"))
    }

    @Test func theOldFlagNamesTheKey() throws {
        let box = try Sandbox()
        let config = try box.config(Self.config)
        let before = box.stateBytes()
        for args in [["apply", "--guest", "100", "--bridge-fdb"], ["hookscript", "install", "--bridge-fdb"]] {
            let run = try box.run(args + ["--config", config])
            #expect(run.status == 2)
            #expect(run.err.contains("--bridge-fdb is gone") && run.err.contains("sync-bridge-fdb = true"), "\(run.err)")
        }
        #expect(box.stateBytes() == before, "nothing changed")
    }
}

/// The same host described in another order gives the same plan (issue 26: the forwarding
/// entries' order followed the description's links and entries).
@Suite struct PlanDeterminismTests {
    @Test func aReorderedDescriptionPlansTheSame() throws {
        let source = CLITests.examples.appendingPathComponent("i350-t4-homelab.json")
        var description = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: source)) as? [String: Any])
        let box = try CLITests.Sandbox()
        let config = try box.config(
            try String(contentsOf: CLITests.examples.appendingPathComponent("sriovctl.toml"), encoding: .utf8)
                .replacingOccurrences(of: "[[pf]]\nname = \"enp6s0f0\"", with: "[[pf]]\nname = \"enp6s0f0\"\nsync-bridge-fdb = true"))
        var plans: [String] = []
        for reversed in [false, true] {
            if reversed {
                var proxmox = description["proxmox"] as! [String: Any]
                proxmox["guests"] = (proxmox["guests"] as! [Any]).reversed() as [Any]
                description["proxmox"] = proxmox
                var network = description["network"] as! [String: Any]
                network["links"] = (network["links"] as! [Any]).reversed() as [Any]
                network["fdb"] = (network["fdb"] as! [Any]).reversed() as [Any]
                description["network"] = network
            }
            let path = box.dir.appendingPathComponent("host-\(reversed).json").path
            try JSONSerialization.data(withJSONObject: description).write(to: URL(fileURLWithPath: path))
            let result = try SystemCommandRunner().run(
                [CLITests.binary.path, "plan", "--json", "--config", config, "--simulate", path, "--simulate-state", box.state + "-\(reversed)"])
            #expect(result.status == 0, "\(result.errorOutput)")
            #expect(result.output.contains("sync-bridge-fdb"), "the plan has forwarding entries to order")
            plans.append(result.output)
        }
        #expect(plans[0] == plans[1])
    }
}

extension BridgeFDBCLITests {
    /// A forwarding record no sriovctl wrote (a broadcast "MAC", a name that is no interface) is
    /// refused by name before any entry is removed (issue 26).
    @Test(arguments: [#"{"pfs":{"enp6s0f0":["ff:ff:ff:ff:ff:ff"]}}"#, #"{"pfs":{"../../etc":["02:00:00:00:00:01"]}}"#])
    func aRecordNoSriovctlWroteIsRefused(record: String) throws {
        let box = try Sandbox()
        let config = try box.config(Self.config)
        #expect(try box.run(["apply", "--config", config]).status == 0)
        let file = box.state + ".root/run/sriovctl/bridge-fdb.json"
        try record.write(toFile: file, atomically: true, encoding: .utf8)
        let apply = try box.run(["apply", "--config", config])
        #expect(apply.status != 0, "\(apply.out)")
        #expect(apply.err.contains("is not sriovctl's record of forwarding entries"), "\(apply.err)")
    }
}
