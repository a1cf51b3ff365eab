import Foundation
import SRIOVHost
import Testing

/// The real `sriovctl` binary against the simulated host: exit codes, messages, and the rule that
/// bad input changes nothing.
@Suite struct CLITests {
    static let binary: URL = {
        // The test bundle sits in the build products folder next to the executable.
        let bundle = Bundle(for: Marker.self).bundleURL
        let products = bundle.pathExtension == "xctest" ? bundle.deletingLastPathComponent() : bundle
        return products.appendingPathComponent("sriovctl")
    }()
    static let examples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("examples")

    final class Marker {}

    /// A long-lived sriovctl (serve) whose output goes to a file; stopped with SIGTERM.
    final class Background {
        let process: BackgroundProcess
        let output: String

        init(_ argv: [String], output: String) throws {
            self.output = output
            process = try BackgroundProcess(argv, output: output, errors: output + ".err")
        }

        /// The first line it printed, waiting up to 10 s for it.
        func firstLine() -> String? {
            for _ in 0..<100 {
                if let text = try? String(contentsOfFile: output, encoding: .utf8), let line = text.split(separator: "\n").first {
                    return String(line)
                }
                usleep(100_000)
            }
            return nil
        }

        /// SIGTERM, then its exit status (128 + signal if a signal ended it).
        func terminate() -> Int32 { process.stop(SIGTERM) }
    }

    /// `argv` through a shell that first closes every inherited descriptor above 2: for a child
    /// that starts a daemon of its own (tmux), whose server must not hold other tests' pipes.
    static func withoutInheritedDescriptors(_ argv: [String]) -> [String] {
        [
            "/bin/bash", "-c", "for fd in $(ls /proc/$$/fd); do [ \"$fd\" -gt 2 ] && eval \"exec $fd>&-\"; done 2>/dev/null; exec \"$@\"",
            "launcher",
        ] + argv
    }

    struct Run {
        let status: Int32
        let out: String
        let err: String
    }

    final class Sandbox {
        let dir: URL
        init() throws {
            dir = FileManager.default.temporaryDirectory.appendingPathComponent("sriovctl-cli-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        }
        deinit { try? FileManager.default.removeItem(at: dir) }
        var state: String { dir.appendingPathComponent("state").path }
        /// The simulated host, from examples/.
        var host = "i350-t4-homelab.json"

        func config(_ text: String) throws -> String {
            let path = dir.appendingPathComponent("sriovctl.toml").path
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            return path
        }

        func run(_ args: [String]) throws -> Run {
            // posix_spawn and waitpid: Foundation's Process has been seen to miss a child's exit
            // while another test's long-lived process runs, and wait forever.
            let result = try SystemCommandRunner().run([CLITests.binary.path] + args + simulation)
            return Run(status: result.status, out: result.output, err: result.errorOutput)
        }

        var simulation: [String] {
            ["--simulate", host.hasPrefix("/") ? host : CLITests.examples.appendingPathComponent(host).path, "--simulate-state", state]
        }

        func stateBytes() -> Data? { FileManager.default.contents(atPath: state) }
    }

    @Test func planSaysWhatEachStepDisturbsAndWhichGuests() throws {
        let box = try Sandbox()
        // The homelab host with its firewall VM 100 running on VF 0.
        let example = CLITests.examples.appendingPathComponent("i350-t4-homelab.json")
        var description = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: example)) as? [String: Any])
        var proxmox = try #require(description["proxmox"] as? [String: Any])
        var guests = try #require(proxmox["guests"] as? [[String: Any]])
        guests[0]["running"] = true
        proxmox["guests"] = guests
        description["proxmox"] = proxmox
        let path = box.dir.appendingPathComponent("running.json")
        try JSONSerialization.data(withJSONObject: description).write(to: path)
        box.host = path.path
        let config = try box.config("[[pf]]\nname = \"enp6s0f0\"\nnum-vfs = 5\n")
        let text = try box.run(["plan", "--config", config])
        #expect(text.out.contains("disturbs: every VF of the PF is re-created"), "\(text.out)")
        #expect(text.out.contains("Guests affected:\n  VM 100: loses enp6s0f0 VF 0 (0000:06:10.0) while it runs"), "\(text.out)")
        let json = try box.run(["plan", "--config", config, "--json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.out.utf8)) as? [String: Any])
        let steps = try #require(object["steps"] as? [[String: Any]])
        #expect(steps.first?["disruption"] as? String == "vfs-recreated")
        #expect(steps.dropFirst().allSatisfy { ($0["disruption"] as? String) == "none" }, "the new VFs have no user yet")
        #expect((object["affectedGuests"] as? [String])?.count == 1)
    }

    @Test func planSaysWhatTheDriverDoesWithASetting() throws {
        let box = try Sandbox()
        box.host = "e810-2port.json"
        let config = try box.config("[[pf]]\nname = \"ens1f1\"\nnum-vfs = 1\n[[pf.vf]]\nindex = 0\nvlan = 7\nvlan-protocol = \"802.1ad\"\n")
        let text = try box.run(["plan", "--config", config])
        #expect(text.status == 0, "\(text.err)")
        #expect(text.out.contains("What the drivers do with this config:"), "\(text.out)")
        #expect(text.out.contains("double VLAN mode"), "\(text.out)")
        let json = try box.run(["plan", "--config", config, "--json"])
        let object = try JSONSerialization.jsonObject(with: Data(json.out.utf8)) as? [String: Any]
        let notes = try #require(object?["driverNotes"] as? [String])
        #expect(notes.count == 1 && notes[0].contains("ice_set_vf_port_vlan"), "\(notes)")
    }

    @Test func planApplyPlanCycle() throws {
        let box = try Sandbox()
        let config = try box.config("[[pf]]\nname = \"enp6s0f1\"\nnum-vfs = 3\n[[pf.vf]]\nindex = 0\ndriver = \"vfio-pci\"\n")
        let first = try box.run(["plan", "--config", config, "--detailed-exitcode"])
        #expect(first.status == 3, "changes pending: \(first.err)")
        #expect(first.out.contains("+ VFs 0 -> 3"))
        let apply = try box.run(["apply", "--config", config])
        #expect(apply.status == 0, "\(apply.out)\(apply.err)")
        #expect(apply.out.contains("Verified: the host matches the config."))
        #expect(apply.err.contains("enp6s0f1: VFs 0 -> 3"), "each change is logged")
        let again = try box.run(["plan", "--config", config, "--detailed-exitcode"])
        #expect(again.status == 0)
        #expect(again.out.contains("No changes"))
        let status = try box.run(["status", "enp6s0f1", "--json"])
        #expect(status.out.contains("\"driver\": \"vfio-pci\""))
    }

    @Test(arguments: [
        ("[[pf]]\nname = \"enp6s0f1\"\nnum-vfs = 99\n", "offers at most 7 VFs"),
        (
            "[[pf]]\nname = \"enp6s0f1\"\nnum-vfs = 2\n[[pf.vf]]\nindex = 0\nvlan = 5000\n",
            "sriovctl.toml:6:8: pf[0].vf[0].vlan: vlan must be an integer 0-4094"
        ),
        ("[[pf]]\nname = \"eth9\"\nnum-vfs = 2\n", "no SR-IOV capable PF eth9"),
        ("[[pf]]\nname = \"enp6s0f1\"\nnum-vfs = 2\nspeed = 10\n", "unknown key \"speed\""),
        ("[[pf]\n", "not valid TOML"),
        (
            "[[pf]]\nname = \"enp6s0f1\"\nnum-vfs = 2\n[[pf.vf]]\nindex = 0\nmax-tx-rate = 100\n",
            "sriovctl.toml:6:15: pf[0].vf[0].max-tx-rate: max-tx-rate = 100 for VF 0 of enp6s0f1 (igb (i350))"
        ),
    ])
    func badConfigExits2AndChangesNothing(toml: String, words: String) throws {
        let box = try Sandbox()
        let good = try box.config("[[pf]]\nname = \"enp6s0f0\"\nnum-vfs = 2\n")
        #expect(try box.run(["apply", "--config", good]).status == 0)
        let before = box.stateBytes()
        let config = try box.config(toml)
        for command in ["plan", "apply"] {
            let run = try box.run([command, "--config", config])
            #expect(run.status == 2, "\(command): \(run.err)")
            #expect(run.err.contains(words), "\(command): \(run.err)")
            #expect(run.err.contains("nothing was changed"))
        }
        #expect(box.stateBytes() == before, "the simulated host is byte for byte as it was")
    }

    @Test func missingConfigFileIsExplained() throws {
        let box = try Sandbox()
        let run = try box.run(["plan", "--config", box.dir.appendingPathComponent("none.toml").path])
        #expect(run.status == 2)
        #expect(run.err.contains("the config file does not exist. `sriovctl init` writes one"), "\(run.err)")
        #expect(!run.err.contains("examples/"), "an installed host has no source tree")
    }

    @Test(arguments: [("statsu", "status"), ("aply", "apply"), ("pln", "plan"), ("hookscirpt", "hookscript")])
    func aMistypedCommandGetsTheOneMeant(_ typed: String, _ meant: String) throws {
        let run = try Sandbox().run([typed])
        #expect(run.status == 2)
        #expect(run.err.hasPrefix("sriovctl: unknown command '\(typed)'; did you mean `sriovctl \(meant)`?"), "\(run.err)")
    }

    @Test func aWordLikeNoCommandGetsNoGuess() throws {
        let run = try Sandbox().run(["xyzzy"])
        #expect(run.status == 2 && !run.err.contains("did you mean"), "\(run.err)")
    }

    @Test func aVFInUseIsNotRemovedWithoutForce() throws {
        let box = try Sandbox()
        #expect(try box.run(["apply", "--config", try box.config("[[pf]]\nname = \"enp6s0f0\"\nnum-vfs = 2\n")]).status == 0)
        let store = SimulatedHostStore(
            descriptionPath: CLITests.examples.appendingPathComponent("i350-t4-homelab.json").path,
            statePath: box.state)
        var host = try store.load()
        host.hold(vf: "0000:06:10.4", by: "process 4242 (qemu-system-x86) has /dev/vfio/21 open")
        try store.save(host)
        let before = box.stateBytes()
        let shrink = try box.config("[[pf]]\nname = \"enp6s0f0\"\nnum-vfs = 1\n")
        let plan = try box.run(["plan", "--config", shrink])
        #expect(plan.out.contains("! enp6s0f0 VF 1 (0000:06:10.4) is in use: process 4242"))
        let refused = try box.run(["apply", "--config", shrink])
        #expect(refused.status == 1)
        #expect(refused.err.contains("refusing to remove or rebind VFs that are in use; nothing was changed"))
        #expect(box.stateBytes() == before)
        let forced = try box.run(["apply", "--config", shrink, "--force"])
        #expect(forced.status == 0, "\(forced.err)")
        #expect(forced.err.contains("--force: enp6s0f0 VF 1"))
    }

    @Test func aSecondApplyWaitsForTheFirstAndSaysSo() throws {
        let box = try Sandbox()
        let config = try box.config("[[pf]]\nname = \"enp6s0f2\"\nnum-vfs = 1\n")
        var lock: ApplyLock? = try ApplyLock(path: box.state + ".lock") { _ in }
        let log = box.dir.appendingPathComponent("apply.out").path
        let second = try BackgroundProcess(
            [CLITests.binary.path, "apply", "--config", config] + box.simulation,
            output: log, errors: log + ".err")
        var said = ""
        for _ in 0..<100 where !said.contains("waiting") {
            usleep(50_000)
            said = (try? String(contentsOfFile: log + ".err", encoding: .utf8)) ?? ""
        }
        #expect(said.contains("another sriovctl apply is running (pid \(getpid())); waiting"), "\(said)")
        #expect(second.isRunning, "it waits instead of going ahead")
        #expect(box.stateBytes() == nil, "and changed nothing while waiting")
        lock = nil  // releasing the lock lets it go on
        _ = lock
        for _ in 0..<200 where second.isRunning { usleep(50_000) }
        #expect(!second.isRunning, "it went ahead once the lock was free")
        #expect(second.stop() == 0)
        #expect(box.stateBytes() != nil, "and applied")
    }

    @Test func usageErrorsExit2() throws {
        let box = try Sandbox()
        #expect(try box.run(["plan", "--bogus"]).status == 2)
        #expect(try box.run(["status", "nosuch0"]).status == 2)
        let help = try box.run(["plan", "--help"])
        #expect(help.status == 0 && help.out.contains("num-vfs = 4"))
    }
}
