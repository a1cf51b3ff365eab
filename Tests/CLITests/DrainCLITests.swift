import Foundation
import SRIOVHost
import Testing

/// `apply --drain` on the simulated homelab host: two running guests holding VFs of the PF whose
/// VF count changes. VM 102 starts first (order=1), VM 100 second (order=2).
@Suite struct DrainCLITests {
    static func box(shutdown100: Int? = nil, shutdown102: Int? = nil, ha: [Int]? = nil) throws -> (CLITests.Sandbox, String) {
        let box = try CLITests.Sandbox()
        try WhyCLITests.host(box) { d in
            var proxmox = try #require(d["proxmox"] as? [String: Any])
            var guests = try #require(proxmox["guests"] as? [[String: Any]])
            guests[0]["running"] = true
            guests[0]["options"] = ["machine": "q35", "startup": "order=2"]
            if let shutdown100 { guests[0]["shutdownSeconds"] = shutdown100 }
            var guest102: [String: Any] = [
                "vmid": 102, "running": true, "hostpci": ["hostpci0": "host=0000:06:10.4"], "options": ["startup": "order=1,up=0"],
            ]
            if let shutdown102 { guest102["shutdownSeconds"] = shutdown102 }
            guests.append(guest102)
            proxmox["guests"] = guests
            if let ha { proxmox["haManaged"] = ha }
            d["proxmox"] = proxmox
        }
        return (box, try box.config("[[pf]]\nname = \"enp6s0f0\"\nnum-vfs = 5\n"))
    }

    /// The qm commands the simulated host ran, in order.
    static func qm(_ box: CLITests.Sandbox) throws -> [String] {
        let host = try SimulatedHostStore(descriptionPath: box.host, statePath: box.state).load()
        return host.writes.filter { $0.hasPrefix("run <- qm ") }.map { String($0.dropFirst("run <- ".count)) }
    }

    static func status(_ box: CLITests.Sandbox) throws -> [String: Any] {
        let run = try box.run(["status", "enp6s0f0", "--json"])
        return try #require(try JSONSerialization.jsonObject(with: Data(run.out.utf8)) as? [String: Any])
    }

    @Test func guestsStopInReverseStartOrderAndStartAgainInOrder() throws {
        let (box, config) = try Self.box()
        #expect(try box.run(["apply", "--config", config]).status == 1, "without --drain a running guest's VF is refused")
        let run = try box.run(["apply", "--drain", "--config", config])
        #expect(run.status == 0, "\(run.out)\(run.err)")
        #expect(run.out.contains("Drain: shut down VM 100; shut down VM 102; started VM 102; started VM 100."), "\(run.out)")
        #expect(
            try Self.qm(box) == [
                "qm shutdown 100 --timeout 180", "qm shutdown 102 --timeout 180", "qm start 102", "qm start 100",
            ])
        let pf = try #require((try Self.status(box)["pfs"] as? [[String: Any]])?.first)
        #expect(pf["numVfs"] as? Int == 5)
        let vfs = try #require(pf["vfs"] as? [[String: Any]])
        #expect(vfs[0]["vmRunning"] as? Bool == true && vfs[0]["driver"] as? String == "vfio-pci", "\(vfs[0])")
    }

    @Test func aGuestThatWillNotStopAbortsBeforeAnyVFChanges() throws {
        let (box, config) = try Self.box(shutdown100: -1)
        let run = try box.run(["apply", "--drain", "--timeout", "30", "--config", config])
        #expect(run.status == 1)
        #expect(run.err.contains("VM 100 did not shut down within 30 s") && run.err.contains("no VF was changed"), "\(run.err)")
        let pf = try #require((try Self.status(box)["pfs"] as? [[String: Any]])?.first)
        #expect(pf["numVfs"] as? Int == 4, "the VFs are untouched")
        #expect(try Self.qm(box) == ["qm shutdown 100 --timeout 30"], "VM 100 is shut down first, and fails: nothing else ran")
    }

    @Test func aGuestStoppedBeforeTheAbortIsStartedAgain() throws {
        // VM 102 (shut down second) ignores the request: VM 100, already stopped, comes back.
        let (box, config) = try Self.box(shutdown102: 600)
        let run = try box.run(["apply", "--drain", "--config", config])
        #expect(run.status == 1 && run.err.contains("the guests already stopped were started again"), "\(run.err)")
        #expect(try Self.qm(box) == ["qm shutdown 100 --timeout 180", "qm shutdown 102 --timeout 180", "qm start 100"])
        #expect(run.out.isEmpty)
        // With --force-stop the stuck guest is stopped and the drain goes on.
        let forced = try box.run(["apply", "--drain", "--force-stop", "--config", config])
        #expect(forced.status == 0, "\(forced.err)")
        #expect(forced.out.contains("stopped VM 102 (--force-stop)"), "\(forced.out)")
    }

    @Test func haManagedGuestsAreRefusedWithTheHACommands() throws {
        let (box, config) = try Self.box(ha: [100])
        let run = try box.run(["apply", "--drain", "--config", config])
        #expect(run.status == 1 && run.err.contains("ha-manager set vm:100 --state stopped"), "\(run.err)")
        #expect(try Self.qm(box).isEmpty)
    }

    @Test func dryRunShowsTheSequenceAndChangesNothing() throws {
        let (box, config) = try Self.box()
        let run = try box.run(["apply", "--drain", "--dry-run", "--config", config])
        #expect(run.status == 0)
        #expect(
            run.out == """
                Drain (dry run, nothing changed):
                  1. shut down VM 100: qm shutdown 100 --timeout 180
                  2. shut down VM 102: qm shutdown 102 --timeout 180
                  3. apply 12 changes
                  4. start VM 102: qm start 102, then wait 0 s (up=)
                  5. start VM 100: qm start 100

                """, "\(run.out)")
        #expect(try Self.qm(box).isEmpty)
    }

    @Test(arguments: [["apply", "--dry-run"], ["apply", "--force-stop"], ["apply", "--drain", "--boot"], ["apply", "--drain", "--timeout", "0"]])
    func drainOptionsOutOfPlaceAreBadInput(_ args: [String]) throws {
        let (box, _) = try Self.box()
        #expect(try box.run(args).status == 2)
    }
}

/// The hookscript's pre-start (`apply --guest VMID --phase pre-start`): a VF that cannot be made
/// right refuses the start with one line for Proxmox's task log; one that can is re-asserted.
@Suite struct PreStartGateTests {
    @Test func aMissingVFRefusesTheStartInOneLine() throws {
        let box = try CLITests.Sandbox()
        let config = try box.config("[[pf]]\nname = \"enp6s0f0\"\nnum-vfs = 6\n[[pf.vf]]\nindex = 5\nvm = 100\nslot = 1\n")
        let run = try box.run(["apply", "--guest", "100", "--config", config])
        #expect(run.status == 1)
        let last = run.err.split(separator: "\n").last.map(String.init) ?? ""
        #expect(
            last
                == "sriovctl: VM 100 will not start: enp6s0f0 VF 5 does not exist; run `sriovctl apply` on the host (it makes the VFs), then start the VM",
            "\(run.err)")
    }

    @Test func aVFThatCanBeMadeRightIsReassertedAndTheStartGoesOn() throws {
        let box = try CLITests.Sandbox()
        let config = try box.config("[[pf]]\nname = \"enp6s0f0\"\nnum-vfs = 4\n[[pf.vf]]\nindex = 0\nvm = 100\nvlan = 30\n")
        #expect(try box.run(["apply", "--config", config]).status == 0)
        // The PF was reset meanwhile: VF 0 lost its VLAN. The gate puts it back.
        var host = try SimulatedHostStore(
            descriptionPath: CLITests.examples.appendingPathComponent(box.host).path, statePath: box.state
        ).load()
        try host.setVF(pf: "0000:06:00.0", index: 0, .init(vlan: 0))
        try host.save()
        let run = try box.run(["apply", "--guest", "100", "--config", config])
        #expect(run.status == 0, "\(run.err)")
        #expect(!run.err.contains("will not start"))
    }
}

/// Small things a user trips on (issue 23): a relative --config in a unit, simulated writes said so.
@Suite struct UserPathTests {
    @Test func bootEnableTakesARelativeConfigAndSaysTheSimulatedHostWasChanged() throws {
        let box = try CLITests.Sandbox()
        _ = try box.config("[[pf]]\nname = \"enp6s0f0\"\nnum-vfs = 2\n")
        // Run from the sandbox folder, so "sriovctl.toml" is relative to it.
        let run = try SystemCommandRunner().run(
            ["/bin/sh", "-c", "cd \"$0\" && exec \"$@\"", box.dir.path, CLITests.binary.path, "boot", "enable", "--config", "sriovctl.toml"]
                + box.simulation)
        #expect(run.status == 0, "\(run.errorOutput)")
        #expect(run.output.contains("wrote /etc/systemd/system/sriovctl.service (on the simulated host)"), "\(run.output)")
        #expect(run.output.contains("The VFs in \(box.dir.path)/sriovctl.toml will be configured"), "\(run.output)")
    }
}

/// Help names the examples where they are: the package's folder for an installed binary.
@Suite struct ExamplesPathTests {
    func help(_ examples: String?) throws -> String {
        var environment = ProcessInfo.processInfo.environment
        environment["SRIOVCTL_EXAMPLES"] = examples
        return try SystemCommandRunner(environment: environment).run([CLITests.binary.path, "--help"]).output
            .replacingOccurrences(of: "\n", with: " ")
    }

    @Test func aBinaryInTheTreeNamesTheTreesExamples() throws {
        #expect(try help(nil).contains("--simulate examples/i350-t4-homelab.json"))
    }

    @Test func theInstalledPathWhenGivenAndOnlyAPlainOne() throws {
        #expect(try help("/usr/share/doc/sriovctl/examples").contains("--simulate /usr/share/doc/sriovctl/examples/i350-t4-homelab.json"))
        #expect(try help("$(reboot)").contains("--simulate examples/i350-t4-homelab.json"))
    }
}

/// The bash completion sriovctl generates, driven as bash drives it (`_sriovctl CMD CUR PREV`
/// with COMP_WORDS set), in a folder with a .toml, a .json, a .txt and a sub-folder.
@Suite struct BashCompletionTests {
    func complete(_ words: [String]) throws -> [String] {
        let box = try CLITests.Sandbox()
        let script = try SystemCommandRunner().run([CLITests.binary.path, "--generate-completion-script", "bash"]).output
        let scriptPath = box.dir.appendingPathComponent("completion.bash").path
        try script.write(toFile: scriptPath, atomically: true, encoding: .utf8)
        let folder = box.dir.appendingPathComponent("files")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("sub"), withIntermediateDirectories: true)
        for name in ["a.toml", "b.json", "c.txt"] { try "".write(to: folder.appendingPathComponent(name), atomically: true, encoding: .utf8) }
        let line = words.joined(separator: " ") + " "
        let shell = """
            cd "$1" && source "$2" && sriovctl() { :; }
            COMP_WORDS=(\(words.map { "'\($0)'" }.joined(separator: " ")) ''); COMP_CWORD=\(words.count)
            COMP_LINE='\(line)'; COMP_POINT=${#COMP_LINE}
            _sriovctl sriovctl '' '\(words.last!)'; printf '%s\\n' "${COMPREPLY[@]}"
            """
        let run = try SystemCommandRunner().run(["/bin/bash", "-c", shell, "bash", folder.path, scriptPath])
        return run.output.split(separator: "\n").map(String.init).sorted()
    }

    @Test func pathOptionsOfferTheRightFiles() throws {
        #expect(try complete(["sriovctl", "--config"]) == ["a.toml", "sub"])
        #expect(try complete(["sriovctl", "--simulate"]) == ["b.json", "sub"])
        #expect(try complete(["sriovctl", "--root"]) == ["sub"])
        #expect(try complete(["sriovctl", "plan", "--config"]) == ["a.toml", "sub"], "after a subcommand too")
        #expect(try complete(["sriovctl", "boot", "enable", "--simulate"]) == ["b.json", "sub"])
    }

    @Test func topsSortOffersItsOrders() throws {
        #expect(try complete(["sriovctl", "top", "--sort"]) == ["pf", "rx", "total", "tx", "vm"])
    }
}
