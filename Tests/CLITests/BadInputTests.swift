import Foundation
import SRIOVHost
import Testing

/// Tests/Fixtures/bad-input: every file is refused with its exit code and a message that says what
/// is wrong, and the simulated host is byte for byte as it was.
@Suite struct BadInputTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/bad-input")

    static let configs: [String] = ((try? FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("config").path)) ?? [])
        .filter { $0.hasSuffix(".toml") }.sorted()

    struct HostCase: Sendable, CustomStringConvertible {
        var file: String
        var exit: Int32
        var says: String
        var description: String { file }
    }

    static let hosts: [HostCase] = {
        let text = (try? String(contentsOf: folder.appendingPathComponent("host/expect.tsv"), encoding: .utf8)) ?? ""
        return text.split(separator: "\n").filter { !$0.hasPrefix("#") }.compactMap { line in
            let f = line.split(separator: "\t", maxSplits: 2).map(String.init)
            return f.count == 3 ? HostCase(file: f[0], exit: Int32(f[1]) ?? -1, says: f[2]) : nil
        }
    }()

    @Test func theCorpusIsThere() {
        #expect(Self.configs.count + Self.hosts.count >= 100, "\(Self.configs.count) configs, \(Self.hosts.count) hosts")
    }

    @Test(arguments: configs)
    func aBadConfigIsRefusedAndChangesNothing(file: String) throws {
        let path = Self.folder.appendingPathComponent("config/\(file)").path
        let head = try String(decoding: Data(contentsOf: URL(fileURLWithPath: path)).prefix(400), as: UTF8.self).split(separator: "\n")
        let exit = try #require(head.first { $0.hasPrefix("# exit: ") }.flatMap { Int32($0.dropFirst(8)) }, "\(file) says its exit code")
        let says = try #require(head.first { $0.hasPrefix("# says: ") }.map { String($0.dropFirst(8)) }, "\(file) says its message")
        let box = try CLITests.Sandbox()
        #expect(try box.run(["apply", "--config", try box.config("[[pf]]\nname = \"enp6s0f0\"\nnum-vfs = 2\n")]).status == 0)
        let before = box.stateBytes()
        for command in ["plan", "apply"] {
            let run = try box.run([command, "--config", path])
            #expect(run.status == exit, "\(file) \(command): \(run.err)")
            #expect(run.err.contains(says), "\(file) \(command): \(run.err.prefix(600))")
            #expect(run.err.utf8.count < 16_000, "\(file) \(command): the message is bounded")
        }
        #expect(box.stateBytes() == before, "\(file): the simulated host is byte for byte as it was")
    }

    @Test(arguments: hosts)
    func aBadHostDescriptionIsRefused(host: HostCase) throws {
        let box = try CLITests.Sandbox()
        let description = Self.folder.appendingPathComponent("host/\(host.file)").path
        let config = try box.config("[[pf]]\nname = \"enp6s0f0\"\nnum-vfs = 2\n")
        for args in [["status"], ["apply", "--config", config]] {
            let result = try SystemCommandRunner().run([CLITests.binary.path] + args + ["--simulate", description, "--simulate-state", box.state])
            #expect(result.status == host.exit, "\(host.file) \(args[0]): \(result.errorOutput)")
            #expect(result.errorOutput.contains(host.says), "\(host.file) \(args[0]): \(result.errorOutput.prefix(600))")
        }
        #expect(box.stateBytes() == nil, "\(host.file): no state was written")
    }

    @Test(arguments: ["{", "not json", "{\"pfs\": 3}"])
    func aCorruptStateIsAnErrorThatNamesItAndIsKept(garbage: String) throws {
        let box = try CLITests.Sandbox()
        try garbage.write(toFile: box.state, atomically: true, encoding: .utf8)
        let run = try box.run(["apply", "--config", try box.config("[[pf]]\nname = \"enp6s0f0\"\nnum-vfs = 2\n")])
        #expect(run.status == 1, "\(run.err)")
        #expect(run.err.contains("the simulated host's state \(box.state) cannot be used"), "\(run.err)")
        #expect(try String(contentsOfFile: box.state, encoding: .utf8) == garbage, "never silently reset")
    }
}

/// Arguments sriovctl must refuse (exit 2, a message naming the option) before touching the host.
@Suite struct BadArgumentTests {
    @Test(arguments: [
        (["watch", "--settle", "inf"], "--settle inf"), (["watch", "--settle", "nan"], "--settle nan"),
        (["watch", "--settle", "1e10"], "give seconds from 0 to 3600"), (["watch", "--settle", "-1"], "--settle"),
        (["apply", "--guest", "0"], "--guest 0: a Proxmox VM id is 100-999999999"), (["apply", "--guest", "99"], "--guest 99"),
        (["apply", "--guest", "1000000000"], "--guest 1000000000"), (["hookscript", "remove", "--vm", "5"], "--vm 5"),
    ])
    func isRefusedAndChangesNothing(args: [String], says: String) throws {
        let box = try CLITests.Sandbox()
        let config = try box.config("[[pf]]\nname = \"enp6s0f0\"\nnum-vfs = 2\n")
        let run = try box.run(args + ["--config", config])
        #expect(run.status == 2, "\(args): \(run.status) \(run.err)")
        #expect(run.err.contains(says), "\(args): \(run.err)")
        #expect(box.stateBytes() == nil, "\(args): nothing was written")
    }
}

/// Records sriovctl reads back are checked before anything acts on them (issue 26): a corrupt
/// take-over record, or one whose entry is an option in disguise, changes nothing.
@Suite struct TakeOverRecordTests {
    @Test(arguments: [
        ("{ not json", "cannot be read as the record --take-over writes"),
        (#"{"entries":[{"kind":"unit","path":"/etc/systemd/system/x.service","unit":"--global"}]}"#, "has an entry --take-over never writes"),
        (#"{"entries":[{"kind":"moved","path":"/root/.ssh/authorized_keys"}]}"#, "has an entry --take-over never writes"),
    ])
    func aBadRecordIsRefusedByName(record: String, says: String) throws {
        let box = try CLITests.Sandbox()
        let file = box.state + ".root/var/lib/sriovctl/take-over.json"
        try FileManager.default.createDirectory(atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try record.write(toFile: file, atomically: true, encoding: .utf8)
        let run = try box.run(["boot", "disable", "--restore"])
        #expect(run.status != 0, "\(run.out)")
        #expect((run.out + run.err).contains("/var/lib/sriovctl/take-over.json " + says), "\(run.out)\(run.err)")
        #expect(!(run.out + run.err).contains("systemctl enable"), "nothing ran")
        #expect(try String(contentsOfFile: file, encoding: .utf8) == record, "the record is kept as it was")
    }
}

/// A state file no simulated host could have written is refused by name and kept (issue 26):
/// values out of the kernel's ranges, a MAC that is no MAC, a VMID Proxmox would not take, UTF-16.
@Suite struct BadStateTests {
    static let edits: [(String, String)] = [
        ("vlan", "has VLAN 99999"), ("qos", "has QoS -1"), ("mac", "is not a MAC address"), ("vmid", "guest 0 is not a Proxmox VM id"),
        ("utf16", "it is not UTF-8 JSON"), ("cr", "has the line"),
    ]

    @Test func aStateNoSimulatedHostCouldHoldIsRefused() throws {
        for (edit, says) in Self.edits {
            let box = try CLITests.Sandbox()
            let config = try box.config("[[pf]]\nname = \"enp6s0f0\"\nnum-vfs = 4\n")
            #expect(try box.run(["apply", "--config", config]).status == 0)
            let bytes = try #require(box.stateBytes())
            var state = try #require(try JSONSerialization.jsonObject(with: bytes) as? [String: Any])
            var pfs = state["pfs"] as! [String: Any]
            var pf = pfs["0000:06:00.0"] as! [String: Any]
            var vfs = pf["vfs"] as! [[String: Any]]
            var settings = vfs[0]["settings"] as! [String: Any]
            var guests = state["guests"] as! [[String: Any]]
            switch edit {
            case "vlan": settings["vlan"] = 99_999
            case "qos": settings["qos"] = -1
            case "mac": settings["mac"] = "zz:zz:zz:zz:zz:zz"
            case "vmid": guests[0]["vmid"] = 0
            case "cr": guests[0]["config"] = ["hostpci0": "host=0000:06:10.0\rhostpci1: host=0000:06:10.4"]
            default: break
            }
            vfs[0]["settings"] = settings
            pf["vfs"] = vfs
            pfs["0000:06:00.0"] = pf
            state["pfs"] = pfs
            state["guests"] = guests
            var written = try JSONSerialization.data(withJSONObject: state)
            if edit == "utf16" { written = String(decoding: written, as: UTF8.self).data(using: .utf16)! }
            try written.write(to: URL(fileURLWithPath: box.state))
            let run = try box.run(["apply", "--config", config])
            #expect(run.status == 1, "\(edit): \(run.status) \(run.err)")
            #expect(run.err.contains("the simulated host's state \(box.state) cannot be used") && run.err.contains(says), "\(edit): \(run.err)")
            #expect(box.stateBytes() == written, "\(edit): kept as it was")
        }
    }
}

/// What a host, a file or a program says is shown, never obeyed by the terminal (issue 26).
@Suite struct TerminalSafetyTests {
    @Test func controlCharactersAreWrittenOutNotSent() {
        #expect("a\u{1b}[2Jb\nc\td\u{7f}\u{9b}".terminalSafe == "a\\u{1b}[2Jb\nc\td\\u{7f}\\u{9b}")
        #expect("plain text\n".terminalSafe == "plain text\n")
    }

    @Test func aFailingProgramsOutputAndALongListenArgumentAreEscaped() throws {
        let box = try CLITests.Sandbox()
        let listen = try box.run(["serve", "--listen", String(repeating: "9", count: 5000)])
        #expect(listen.status == 2 && listen.err.count < 400, "\(listen.err.count) characters")
        let hostile = box.dir.appendingPathComponent("hostile.json").path
        var description = try #require(
            try JSONSerialization.jsonObject(with: Data(contentsOf: CLITests.examples.appendingPathComponent("i350-t4-homelab.json")))
                as? [String: Any])
        var machine = description["machine"] as? [String: Any] ?? [:]
        machine["failingPrograms"] = ["update-grub": "\u{1b}[2J\u{1b}]0;owned\u{07}"]
        machine["cmdline"] = "BOOT_IMAGE=/vmlinuz \u{1b}[31mred"
        description["machine"] = machine
        try JSONSerialization.data(withJSONObject: description).write(to: URL(fileURLWithPath: hostile))
        for args in [["host", "prepare"], ["check"]] {
            let result = try SystemCommandRunner().run(
                [CLITests.binary.path] + args + ["--simulate", hostile, "--simulate-state", box.state])
            #expect(!(result.output + result.errorOutput).contains("\u{1b}"), "\(args): \((result.output + result.errorOutput).debugDescription)")
        }
    }
}
