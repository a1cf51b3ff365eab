import Foundation
import SRIOVHost
import Testing

/// `sriovctl init`: the config it writes plans to nothing on the host it was read from.
@Suite struct InitCommandTests {
    /// A host set up with every kind of setting, then read back by init.
    @Test func theWrittenConfigReproducesASetUpI350() throws {
        let box = try CLITests.Sandbox()
        let setup = try box.config(
            """
            [[pf]]
            name = "enp6s0f1"
            num-vfs = 3
            [[pf.vf]]
            index = 0
            mac = "02:11:22:33:44:55"
            vlan = 20
            qos = 2
            spoof-check = false
            trust = true
            driver = "vfio-pci"
            vm = 101
            slot = 3
            pcie = true
            [[pf.vf]]
            indexes = "1-2"
            mapping = "fw"
            vm = 100
            driver = "vfio-pci"
            [[pf]]
            name = "enp6s0f2"
            num-vfs = 2
            """)
        let applied = try box.run(["apply", "--config", setup])
        #expect(applied.status == 0, "\(applied.out)\(applied.err)")
        let written = box.dir.appendingPathComponent("init.toml").path
        let run = try box.run(["init", "--output", written])
        #expect(run.status == 0, "\(run.out)\(run.err)")
        #expect(run.out.contains("wrote \(written)") && run.out.contains("No changes"), "\(run.out)")
        let text = try String(contentsOfFile: written, encoding: .utf8)
        for line in [
            "name = \"enp6s0f1\"", "num-vfs = 3", "mac = \"02:11:22:33:44:55\"", "vlan = 20", "qos = 2", "spoof-check = false",
            "trust = true", "driver = \"vfio-pci\"", "vm = 101", "slot = 3", "pcie = true", "mapping = \"fw\"", "vm = 100",
            "name = \"enp6s0f2\"", "num-vfs = 2",
        ] {
            #expect(text.contains("\n\(line) ") || text.contains("\n\(line)\n"), "\(line) missing in:\n\(text)")
        }
        // Untouched VFs of enp6s0f0 have no MAC: kept, with the advice to use auto.
        #expect(text.contains("mac = \"keep\"") && text.contains("\"auto\" gives a stable one"))
        // Every setting line says what it does.
        for line in text.split(separator: "\n") where line.contains(" = ") && !line.hasPrefix("#") {
            #expect(line.contains("  # "), "no comment: \(line)")
        }
        let plan = try box.run(["plan", "--config", written, "--detailed-exitcode"])
        #expect(plan.status == 0, "\(plan.out)\(plan.err)")
    }

    @Test func itNeverReplacesAFileUnlessForced() throws {
        let box = try CLITests.Sandbox()
        let existing = try box.config("# mine\n")
        let refused = try box.run(["init", "--output", existing])
        #expect(refused.status == 2)
        #expect(refused.err.contains("\(existing) already exists") && refused.err.contains("--force"), "\(refused.err)")
        #expect(try String(contentsOfFile: existing, encoding: .utf8) == "# mine\n", "the file is as it was")
        let forced = try box.run(["init", "--output", existing, "--force"])
        #expect(forced.status == 0, "\(forced.err)")
        #expect(try String(contentsOfFile: existing, encoding: .utf8).contains("[[pf]]"))
        let both = try box.run(["init", "--output", existing, "--stdout"])
        #expect(both.status == 2 && both.err.contains("--stdout and --output exclude each other"))
        let noTarget = try box.run(["init"])
        #expect(noTarget.status == 2 && noTarget.err.contains("give --output FILE"), "a simulated host has no /etc: \(noTarget.err)")
    }

    @Test func theE810With256VFsPlansToNothing() throws {
        let box = try CLITests.Sandbox()
        box.host = "e810-2port.json"
        let setup = try box.config("[[pf]]\nname = \"ens1f0\"\nnum-vfs = 256\n[[pf.vf]]\nindexes = \"0-255\"\nvlan = 7\ntrust = true\n")
        #expect(try box.run(["apply", "--config", setup]).status == 0)
        let run = try box.run(["init", "--stdout"])
        #expect(run.status == 0, "\(run.err)")
        #expect(run.out.components(separatedBy: "[[pf.vf]]").count - 1 == 256)
        #expect(run.err.contains("No changes"), "\(run.err)")
    }

    /// The host captured from the lab's igb (pinned MACs, VLAN+QoS, spoof check, trust, vfio-pci).
    @Test func theCapturedIgbHostPlansToNothing() throws {
        let root = CLITests.examples.deletingLastPathComponent().appendingPathComponent("Tests/Fixtures/lab-igb-4vfs").path
        let box = try CLITests.Sandbox()
        let captured = try SystemCommandRunner().run([CLITests.binary.path, "init", "--stdout", "--root", root])
        #expect(captured.status == 0, "\(captured.errorOutput)")
        #expect(
            captured.output.contains("mac = \"02:00:00:00:00:01\"") && captured.output.contains("vlan = 100") && captured.output.contains("qos = 3"))
        let written = try box.config(captured.output)
        let plan = try SystemCommandRunner().run([CLITests.binary.path, "plan", "--root", root, "--config", written, "--detailed-exitcode"])
        #expect(plan.status == 0, "\(plan.output)\(plan.errorOutput)")
    }

    /// `--preset pfsense --carp`: the firewall's VF (VM 100's) gets its stable MAC pinned, trust
    /// and no spoof check, each with its reason; other VFs are reproduced as they are.
    @Test func thePfsensePresetPreparesTheFirewallsVFs() throws {
        let box = try CLITests.Sandbox()
        let written = box.dir.appendingPathComponent("fw.toml").path
        let run = try box.run(["init", "--preset", "pfsense", "--carp", "--output", written])
        #expect(run.status == 0, "\(run.out)\(run.err)")
        let text = try String(contentsOfFile: written, encoding: .utf8)
        let vf0 = try #require(text.components(separatedBy: "[[pf.vf]]").dropFirst().first)
        #expect(vf0.contains("mac = \"02:9f:3c:5e:10:00\"") && vf0.contains("pfsense preset: pinned"), "\(vf0)")
        #expect(vf0.contains("trust = true") && vf0.contains("spoof-check = false") && vf0.contains("CARP"), "\(vf0)")
        let vf1 = text.components(separatedBy: "[[pf.vf]]")[2]
        #expect(vf1.contains("mac = \"keep\"") && !vf1.contains("trust"), "a VF no guest has is reproduced: \(vf1)")
        #expect(run.err.contains("`sriovctl apply` makes those changes"))
        #expect(try box.run(["apply", "--config", written]).status == 0)
        #expect(try box.run(["plan", "--config", written, "--detailed-exitcode"]).status == 0)
        let lonely = try box.run(["init", "--carp", "--stdout"])
        #expect(lonely.status == 2 && lonely.err.contains("--carp goes with --preset pfsense"))
    }

    /// A relative --output is relative to the working folder: its folders are made there, not
    /// under / (makeDirectories used to make them at the root).
    @Test func aRelativeOutputStaysInTheWorkingFolder() throws {
        let box = try CLITests.Sandbox()
        let script = "cd \"$1\" && exec \"$2\" init --output made/here/c.toml --simulate \"$3\" --simulate-state \"$4\""
        let run = try SystemCommandRunner().run([
            "/bin/sh", "-c", script, "sh", box.dir.path, CLITests.binary.path,
            CLITests.examples.appendingPathComponent(box.host).path, box.state,
        ])
        #expect(run.status == 0, "\(run.output)\(run.errorOutput)")
        #expect(FileManager.default.fileExists(atPath: box.dir.appendingPathComponent("made/here/c.toml").path))
        #expect(!FileManager.default.fileExists(atPath: "/made"), "nothing made at the root")
    }
}
