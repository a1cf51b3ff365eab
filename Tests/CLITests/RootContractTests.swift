import Foundation
import SRIOVHost
import Testing

/// The `--root DIR` contract, with the real binary: nothing outside DIR is read or written and no
/// program runs. Every program a step would run is in DIR/run/sriovctl/commands.log. The PATH
/// holds stand-ins for every program sriovctl could run; each one that is called leaves a mark,
/// and the test fails on any mark.
@Suite struct RootContractTests {
    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/lab-igb-4vfs")
    static let programs = [
        "qm", "pvesh", "update-grub", "update-initramfs", "proxmox-boot-tool", "systemctl", "modprobe", "bridge",
        "ip", "journalctl", "dmesg", "pve-network-interface-pinning",
    ]

    final class Tree {
        let dir: URL
        var root: URL { dir.appendingPathComponent("host") }
        var standins: URL { dir.appendingPathComponent("bin") }
        var marks: URL { dir.appendingPathComponent("called") }

        init() throws {
            dir = FileManager.default.temporaryDirectory.appendingPathComponent("sriovctl-root-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: standins, withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: RootContractTests.fixture, to: root)
            // A Proxmox VE node with two guests, GRUB, an Intel IOMMU and a kernel to refresh.
            try write("etc/hostname", "pve1\n")
            try write("etc/pve/qemu-server/100.conf", "name: fw\nmemory: 2048\n")
            try write("etc/pve/qemu-server/101.conf", "name: nas\nmemory: 2048\n")
            try write("etc/default/grub", "GRUB_CMDLINE_LINUX_DEFAULT=\"quiet\"\n")
            try write("usr/sbin/update-grub", "")
            try write("sys/firmware/acpi/tables/DMAR", "")
            try write("proc/sys/kernel/osrelease", "6.8.12-4-pve\n")
            try write("sys/bus/pci/drivers_probe", "")
            try write(
                "etc/sriovctl/sriovctl.toml",
                """
                [[pf]]
                name = "eth0"
                num-vfs = 4
                [[pf.vf]]
                index = 0
                driver = "vfio-pci"
                vm = 100
                pcie = true
                [[pf.vf]]
                indexes = "2-3"
                mapping = "fw-pool"
                vm = 101

                """)
            for program in RootContractTests.programs {
                let path = standins.appendingPathComponent(program).path
                try "#!/bin/sh\necho \"\(program) $*\" >> \(marks.path)\nexit 1\n".write(toFile: path, atomically: true, encoding: .utf8)
                chmod(path, 0o755)
            }
        }

        deinit { try? FileManager.default.removeItem(at: dir) }

        func write(_ path: String, _ text: String) throws {
            let url = root.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }

        func read(_ path: String) -> String? { try? String(contentsOf: root.appendingPathComponent(path), encoding: .utf8) }

        func run(_ args: [String]) throws -> CLITests.Run {
            var environment = ProcessInfo.processInfo.environment
            environment["PATH"] = standins.path + ":" + (environment["PATH"] ?? "/usr/bin:/bin")
            let result = try SystemCommandRunner(environment: environment).run([CLITests.binary.path] + args + ["--root", root.path])
            return CLITests.Run(status: result.status, out: result.output, err: result.errorOutput)
        }

        func recorded() throws -> [[String]] {
            try (read("run/sriovctl/commands.log") ?? "").split(separator: "\n").map {
                try JSONDecoder().decode([String].self, from: Data($0.utf8))
            }
        }
    }

    @Test func everyEffectfulCommandRecordsItsProgramsAndRunsNone() throws {
        let tree = try Tree()
        var expected: [[String]] = []

        let prepare = try tree.run(["host", "prepare"])
        #expect(prepare.status == 0, "\(prepare.out)\(prepare.err)")
        #expect(tree.read("etc/default/grub.d/sriovctl.cfg")?.contains("intel_iommu=on iommu=pt") == true, "files are written in the tree")
        #expect(prepare.out.contains("would run: update-grub"))
        expected += [["update-grub"], ["update-initramfs", "-u", "-k", "all"]]
        #expect(try tree.recorded() == expected)

        let boot = try tree.run(["boot", "enable", "--binary", "/usr/sbin/sriovctl"])
        #expect(boot.status == 0, "\(boot.out)\(boot.err)")
        #expect(tree.read("etc/systemd/system/sriovctl.service")?.contains("ExecStart=/usr/sbin/sriovctl apply --boot") == true)
        expected += [["systemctl", "daemon-reload"], ["systemctl", "enable", "sriovctl.service", "sriovctl-watch.service"]]
        #expect(try tree.recorded() == expected)

        let serve = try tree.run(["serve", "enable", "--binary", "/usr/sbin/sriovctl", "--now"])
        #expect(serve.status == 0, "\(serve.out)\(serve.err)")
        expected += [["systemctl", "daemon-reload"], ["systemctl", "enable", "--now", "sriovctl-metrics.service"]]
        #expect(try tree.recorded() == expected)

        let apply = try tree.run(["apply"])
        #expect(apply.status == 0, "\(apply.out)\(apply.err)")
        #expect(apply.out.contains("Not verified: --root records programs"))
        #expect(apply.out.contains("would run: qm set 100 --hostpci0 host=0000:01:10.0,pcie=1"))
        let applied = try tree.recorded().dropFirst(expected.count)
        #expect(
            applied.filter { $0.first == "qm" } == [
                ["qm", "set", "100", "--hostpci0", "host=0000:01:10.0,pcie=1"],
                ["qm", "set", "101", "--hostpci0", "mapping=fw-pool"],
            ])
        #expect(
            applied.filter { $0.first == "pvesh" } == [
                [
                    "pvesh", "create", "/cluster/mapping/pci", "--id", "fw-pool",
                    "--map", "id=8086:10ca,iommugroup=7,node=pve1,path=0000:01:10.4", "--map",
                    "id=8086:10ca,iommugroup=8,node=pve1,path=0000:01:10.6",
                ]
            ], "the mapping comes from the tree's live VF addresses and IOMMU groups")
        #expect(
            applied.contains(["ip", "link", "set", "dev", "eth0", "vf", "2", "mac", "02:00:12:34:56:02", "trust", "off"]),
            "VF settings are recorded as the iproute2 command that makes them")
        expected = try tree.recorded()

        let assign = try tree.run(["assign", "eth0:1", "--vm", "101"])
        #expect(assign.status == 0, "\(assign.out)\(assign.err)")
        #expect(assign.out.contains("would run: qm set 101 --hostpci0 host=0000:01:10.2"))
        #expect(try tree.recorded() == expected + [["qm", "set", "101", "--hostpci0", "host=0000:01:10.2"]])
        #expect(tree.read("etc/pve/qemu-server/101.conf") == "name: nas\nmemory: 2048\n", "no program changed the guest")

        let check = try tree.run(["check", "--json"])
        #expect(check.out.contains("\"checks\""), "check reads the tree: \(check.err)")
        #expect(check.out.contains("eth0 (igb, 4/7 VFs)"), "the tree's devices, not this machine's")
        #expect(check.out.contains("ACPI DMAR table present"), "the tree's firmware tables")
        #expect(check.out.contains("sriovctl.service installed but"), "the unit boot enable wrote in the tree")

        #expect(
            !FileManager.default.fileExists(atPath: tree.marks.path),
            "a program ran: \((try? String(contentsOf: tree.marks, encoding: .utf8)) ?? "")")
    }

    /// A tree with the lab's captured link and forwarding-table dumps (br0 over eth0, sriovctl's
    /// entry for 02:00:00:00:00:99 in eth0's own table): `status` counts it from the record, and
    /// with the key off `apply` records the `bridge fdb del` that would remove it, running nothing.
    @Test func forwardingTablesAreReadFromTheCaptureAndChangesRecorded() throws {
        let tree = try Tree()
        let netlink = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/netlink")
        let dumps = tree.root.appendingPathComponent("run/sriovctl")
        try FileManager.default.removeItem(at: dumps.appendingPathComponent("netlink-dump.bin"))
        try FileManager.default.copyItem(
            at: netlink.appendingPathComponent("lab-bridge-link-dump.bin"), to: dumps.appendingPathComponent("netlink-dump.bin"))
        try FileManager.default.copyItem(
            at: netlink.appendingPathComponent("lab-bridge-fdb-dump.bin"), to: dumps.appendingPathComponent("fdb-dump.bin"))
        try tree.write("run/sriovctl/bridge-fdb.json", "{\"pfs\": {\"eth0\": [\"02:00:00:00:00:99\"]}}\n")
        try tree.write("etc/sriovctl/sriovctl.toml", "[[pf]]\nname = \"eth0\"\nnum-vfs = 4\n")
        let status = try tree.run(["status", "eth0"])
        #expect(status.out.contains("bridge fdb 1 synced"), "\(status.out)\(status.err)")
        let plan = try tree.run(["plan"])
        #expect(plan.out.contains("forwarding table (self): -02:00:00:00:00:99"), "\(plan.out)\(plan.err)")
        let apply = try tree.run(["apply"])
        #expect(apply.out.contains("would run: bridge fdb del 02:00:00:00:00:99 dev eth0 self"), "\(apply.out)\(apply.err)")
        #expect(try tree.recorded().contains(["bridge", "fdb", "del", "02:00:00:00:00:99", "dev", "eth0", "self"]))
        #expect(
            !FileManager.default.fileExists(atPath: tree.marks.path),
            "a program ran: \((try? String(contentsOf: tree.marks, encoding: .utf8)) ?? "")")
        // Without the forwarding-table capture, a tree whose record holds entries says what is missing.
        try FileManager.default.removeItem(at: dumps.appendingPathComponent("fdb-dump.bin"))
        let missing = try tree.run(["plan"])
        #expect(missing.status != 0)
        #expect(missing.err.contains("fdb-dump.bin") && missing.err.contains("capture-netlink"), "\(missing.err)")
    }

    @Test(arguments: ["/etc/hostname", "../../../../../../../../../../../../etc/hostname"])
    func aLinkLeadingOutOfTheTreeIsNamedAndNotFollowed(target: String) throws {
        let tree = try Tree()
        let attribute = tree.root.appendingPathComponent("sys/bus/pci/devices/0000:01:00.0/sriov_totalvfs")
        try FileManager.default.removeItem(at: attribute)
        try FileManager.default.createSymbolicLink(atPath: attribute.path, withDestinationPath: target)
        let status = try tree.run(["status"])
        #expect(status.status == 2, "\(status.out)\(status.err)")
        #expect(status.err.contains("/sys/bus/pci/devices/0000:01:00.0/sriov_totalvfs leads outside the tree"), "\(status.err)")
    }
}

/// Names read from a host are shown escaped: a netdev name with an escape sequence or a newline
/// cannot repaint the terminal or add a line to `status`.
@Suite struct HostileNameTests {
    @Test func aNetdevNameWithControlCharactersIsEscaped() throws {
        let tree = try RootContractTests.Tree()
        let net = tree.root.appendingPathComponent("sys/bus/pci/devices/0000:01:10.2/net")
        let old = try #require(try FileManager.default.contentsOfDirectory(atPath: net.path).first)
        try FileManager.default.moveItem(at: net.appendingPathComponent(old), to: net.appendingPathComponent("eth2\u{1b}[2J\nX"))
        let status = try tree.run(["status"])
        #expect(status.status == 0, "\(status.err)")
        #expect(!status.out.contains("\u{1b}"), "no raw escape reaches the terminal")
        #expect(status.out.contains("eth2\\u{1b}[2J\\nX"), "\(status.out)")
    }
}

/// What a hostile host tree may hold where sriovctl writes (issue 26): a FIFO at a sysfs
/// attribute or at the command log must not hang a command, a hard link must not carry the log
/// or the lock out of the tree, and a log's unfinished last line must not swallow the next.
@Suite struct HostileTreeTests {
    func run(_ tree: RootContractTests.Tree, _ args: [String]) throws -> CLITests.Run {
        var environment = ProcessInfo.processInfo.environment
        environment["PATH"] = tree.standins.path + ":" + (environment["PATH"] ?? "/usr/bin:/bin")
        // `timeout` turns a hang into exit 124 instead of a test that never ends.
        let result = try SystemCommandRunner(environment: environment).run(
            ["/usr/bin/timeout", "20", CLITests.binary.path] + args + ["--root", tree.root.path])
        return CLITests.Run(status: result.status, out: result.output, err: result.errorOutput)
    }

    /// Replaces the tree's folder at `path` with a link to an empty folder outside the tree,
    /// which is returned (to see that nothing was written there).
    func linkOut(_ tree: RootContractTests.Tree, _ path: String) throws -> URL {
        let outside = tree.dir.appendingPathComponent("outside-" + path.replacingOccurrences(of: "/", with: "-"))
        try FileManager.default.createDirectory(at: outside, withIntermediateDirectories: true)
        let folder = tree.root.appendingPathComponent(path).path
        try? FileManager.default.removeItem(atPath: folder)
        try FileManager.default.createSymbolicLink(atPath: folder, withDestinationPath: outside.path)
        return outside
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/timeout"), "needs coreutils' timeout"))
    func aFIFOAtAnAttributeOrAtTheLogIsAnErrorNotAHang() throws {
        let tree = try RootContractTests.Tree()
        let numvfs = tree.root.appendingPathComponent("sys/bus/pci/devices/0000:01:00.0/sriov_numvfs").path
        try FileManager.default.removeItem(atPath: numvfs)
        #expect(mkfifo(numvfs, 0o644) == 0)
        try tree.write("etc/sriovctl/sriovctl.toml", "[[pf]]\nname = \"eth0\"\nnum-vfs = 2\n")
        let apply = try run(tree, ["apply"])
        #expect(apply.status == 1, "not a hang (124): \(apply.status) \(apply.err)")

        let log = tree.root.appendingPathComponent("run/sriovctl/commands.log").path
        try FileManager.default.createDirectory(atPath: (log as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        #expect(mkfifo(log, 0o644) == 0)
        let prepare = try run(tree, ["host", "prepare"])
        #expect(prepare.status != 0 && prepare.status != 124, "\(prepare.status) \(prepare.out) \(prepare.err)")
    }

    @Test func aHardLinkedLogIsNotWrittenAndAnUnfinishedLineIsNotGlued() throws {
        let tree = try RootContractTests.Tree()
        let outside = tree.dir.appendingPathComponent("outside.txt").path
        try "precious\n".write(toFile: outside, atomically: true, encoding: .utf8)
        let log = tree.root.appendingPathComponent("run/sriovctl/commands.log").path
        try FileManager.default.createDirectory(atPath: (log as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        #expect(link(outside, log) == 0)
        _ = try run(tree, ["host", "prepare"])
        #expect(try String(contentsOfFile: outside, encoding: .utf8) == "precious\n", "the file outside the tree is untouched")

        let fresh = try RootContractTests.Tree()
        let freshLog = fresh.root.appendingPathComponent("run/sriovctl/commands.log").path
        try FileManager.default.createDirectory(atPath: (freshLog as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try "[\"x\"]".write(toFile: freshLog, atomically: true, encoding: .utf8)  // no newline at the end
        let prepare = try run(fresh, ["host", "prepare"])
        #expect(prepare.status == 0, "\(prepare.err)")
        let lines = try String(contentsOfFile: freshLog, encoding: .utf8).split(separator: "\n")
        #expect(lines.first == "[\"x\"]" && lines.dropFirst().first == "[\"update-grub\"]", "\(lines)")
    }
}

extension HostileTreeTests {
    /// Under --root nothing outside the tree is read: a config or /proc/cmdline that is a link out
    /// of it is an error (issue 26), and the file outside is never read.
    @Test func linksOutOfTheTreeAreNotFollowed() throws {
        let tree = try RootContractTests.Tree()
        let outside = tree.dir.appendingPathComponent("outside.toml").path
        try "[[pf]]\nname = \"eth0\"\nnum-vfs = 3\n".write(toFile: outside, atomically: true, encoding: .utf8)
        let config = tree.root.appendingPathComponent("etc/sriovctl/sriovctl.toml").path
        try FileManager.default.removeItem(atPath: config)
        try FileManager.default.createSymbolicLink(atPath: config, withDestinationPath: outside)
        let plan = try run(tree, ["plan"])
        #expect(plan.status == 2, "\(plan.status) \(plan.out) \(plan.err)")
        #expect(!plan.out.contains("VFs 4 -> 3") && !plan.out.contains("num-vfs = 3"), "the config outside was not read: \(plan.out)")

        let cmdline = tree.root.appendingPathComponent("proc/cmdline").path
        try? FileManager.default.removeItem(atPath: cmdline)
        try FileManager.default.createDirectory(atPath: (cmdline as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: cmdline, withDestinationPath: "/proc/cmdline")
        let prepare = try run(tree, ["host", "prepare", "--dry-run"])
        #expect(prepare.status == 2, "\(prepare.status) \(prepare.out) \(prepare.err)")
        #expect(prepare.err.contains("proc/cmdline"), "\(prepare.err)")
    }
}

extension HostileTreeTests {
    /// A `run/` that is a link out of the tree is not written through by apply (issue 26).
    @Test func aLinkedRunFolderIsNotWrittenThrough() throws {
        let tree = try RootContractTests.Tree()
        let outside = try linkOut(tree, "run")
        let apply = try self.run(tree, ["apply"])
        #expect(apply.status == 2, "\(apply.status) \(apply.out) \(apply.err)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: outside.path).isEmpty, "nothing written outside the tree")
    }
}

extension HostileTreeTests {
    /// `init --force` does not write through an `etc/sriovctl` that is a link out of the tree.
    @Test func initDoesNotWriteThroughALinkedConfigFolder() throws {
        let tree = try RootContractTests.Tree()
        let outside = try linkOut(tree, "etc/sriovctl")
        let initialized = try run(tree, ["init", "--force"])
        #expect(initialized.status == 2, "\(initialized.status) \(initialized.out) \(initialized.err)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: outside.path).isEmpty, "nothing written outside the tree")
    }
}

/// `apply --drain` under `--root`: the guests' shutdown and start are recorded as `qm` argv
/// around the apply's own commands, and no program runs.
@Suite struct RootDrainTests {
    @Test func theDrainIsRecordedAroundTheApply() throws {
        let tree = try RootContractTests.Tree()
        // VM 100 runs (its pid file names a process of the tree) with VF 0.
        try tree.write("etc/pve/qemu-server/100.conf", "name: fw\nhostpci0: host=0000:01:10.0\nstartup: order=1\n")
        try tree.write("var/run/qemu-server/100.pid", "4242\n")
        try tree.write("proc/4242/cmdline", "kvm")
        try tree.write("etc/sriovctl/sriovctl.toml", "[[pf]]\nname = \"eth0\"\nnum-vfs = 2\n[pf.defaults]\nmac = \"keep\"\n")
        let refused = try tree.run(["apply"])
        #expect(refused.status == 1 && refused.err.contains("VM 100 is running with it"), "\(refused.err)")
        let run = try tree.run(["apply", "--drain"])
        // (The tree's captured netlink dump does not change, so the VF settings are not verified.)
        #expect(run.out.contains("Drain: shut down VM 100 (fw); started VM 100 (fw)."), "\(run.out)\(run.err)")
        let qm = try tree.recorded().filter { $0.first == "qm" }
        #expect(qm == [["qm", "shutdown", "100", "--timeout", "180"], ["qm", "start", "100"]], "\(qm)")
        #expect(!FileManager.default.fileExists(atPath: tree.marks.path), "no program ran")
    }
}
