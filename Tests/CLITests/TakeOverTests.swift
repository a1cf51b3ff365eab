import Foundation
import SRIOVHost
import Testing

/// `boot enable` refuses while another SR-IOV manager would fight it; `--take-over` retires each
/// one reversibly; `boot disable --restore` gives the files back byte for byte. On the simulated
/// host, with the hand-made setups of Tests/Fixtures/other-managers in its files.
@Suite struct TakeOverTests {
    static let fixture = CLITests.examples.deletingLastPathComponent().appendingPathComponent("Tests/Fixtures/other-managers")

    /// The simulated host's folder with the fixture's /etc in it (sriov.service enabled the way
    /// the simulated systemctl records it).
    static func prepared() throws -> (CLITests.Sandbox, String, String) {
        let box = try CLITests.Sandbox()
        #expect(try box.run(["status"]).status == 0)
        let root = box.state + ".root"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: fixture.appendingPathComponent("etc").path, toPath: root + "/etc")
        let link = root + "/etc/systemd/system/multi-user.target.wants/sriov.service"
        try FileManager.default.removeItem(atPath: link)
        try "/etc/systemd/system/sriov.service\n".write(toFile: link, atomically: true, encoding: .utf8)
        let config = try box.config("[[pf]]\nname = \"enp6s0f0\"\nnum-vfs = 4\n")
        return (box, root, config)
    }

    /// Every regular file under `root` (empty folders ignored), by relative path.
    static func tree(_ root: String) -> [String: Data] {
        var files: [String: Data] = [:]
        let walker = FileManager.default.enumerator(atPath: root)
        while let relative = walker?.nextObject() as? String {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: root + "/" + relative, isDirectory: &isDirectory), !isDirectory.boolValue {
                files[relative] = FileManager.default.contents(atPath: root + "/" + relative)
            }
        }
        return files
    }

    @Test func refusedThenTakenOverThenRestored() throws {
        let (box, root, config) = try Self.prepared()
        let original = Self.tree(root)
        let refused = try box.run(["boot", "enable", "--config", config])
        #expect(refused.status == 2)
        #expect(refused.err.contains("another SR-IOV manager would fight sriovctl at every boot"), "\(refused.err)")
        #expect(refused.err.contains("/etc/systemd/system/sriov.service:6: systemd unit sriov.service sets 4 VFs on enp6s0f0"), "\(refused.err)")
        #expect(refused.err.contains("Give --take-over"))
        #expect(Self.tree(root) == original, "nothing changed")

        let taken = try box.run(["boot", "enable", "--config", config, "--take-over"])
        #expect(taken.status == 0, "\(taken.out)\(taken.err)")
        #expect(taken.out.contains("+# sriovctl take-over:         post-up echo 2 > /sys/class/net/enp6s0f1/device/sriov_numvfs"), "a diff first")
        #expect(taken.out.contains("ran systemctl disable sriov.service"))
        #expect(taken.out.contains("ran update-initramfs -u -k all"), "modprobe.d was edited: the initramfs keeps a copy")
        #expect(taken.out.contains("run: nmcli connection modify 'Wired uplink'"), "NetworkManager is told, not edited")
        let now = Self.tree(root)
        #expect(now["etc/systemd/system/sriov.service"] == original["etc/systemd/system/sriov.service"], "the unit file stays")
        #expect(now["etc/systemd/system/multi-user.target.wants/sriov.service"] == nil, "but is disabled")
        #expect(now["etc/udev/rules.d/70-sriov.rules"] == nil && now["etc/udev/rules.d/70-sriov.rules.sriovctl-retired"] != nil)
        #expect(
            now["etc/NetworkManager/system-connections/uplink.nmconnection"] == original["etc/NetworkManager/system-connections/uplink.nmconnection"])
        #expect(now["var/lib/sriovctl/take-over/etc_network_interfaces"] == original["etc/network/interfaces"], "backed up")
        let check = try box.run(["check", "--config", config])
        #expect(check.out.contains("[INFO] Other SR-IOV manager: systemd unit sriov.service"), "\(check.out)")
        #expect(!check.out.contains("[WARN] Other SR-IOV manager: udev rule"))

        let restored = try box.run(["boot", "disable", "--config", config, "--restore"])
        #expect(restored.status == 0, "\(restored.out)\(restored.err)")
        #expect(restored.out.contains("ran systemctl enable sriov.service"))
        #expect(restored.out.contains("ran update-initramfs -u -k all"))
        #expect(Self.tree(root) == original, "every file as it was, byte for byte")
        let again = try box.run(["boot", "disable", "--restore"])
        #expect(again.out.contains("nothing to restore"))
    }

    @Test func dryRunShowsTheTakeOverAndChangesNothing() throws {
        let (box, root, config) = try Self.prepared()
        let original = Self.tree(root)
        let state = box.stateBytes()
        let preview = try box.run(["boot", "enable", "--config", config, "--take-over", "--dry-run"])
        #expect(preview.status == 0, "\(preview.out)\(preview.err)")
        #expect(preview.out.contains("would run: systemctl disable sriov.service"), "\(preview.out)")
        #expect(
            preview.out.contains("+# sriovctl take-over:         post-up echo 2 > /sys/class/net/enp6s0f1/device/sriov_numvfs"), "each edit as a diff"
        )
        #expect(preview.out.contains("would write /etc/systemd/system/sriovctl.service"))
        #expect(preview.out.contains("would run: systemctl enable sriovctl.service sriovctl-watch.service"))
        #expect(preview.out.contains("Nothing was changed (--dry-run)."))
        #expect(!preview.out.contains("ran ") && !preview.out.contains("wrote "))
        #expect(Self.tree(root) == original && box.stateBytes() == state, "nothing changed")
        // Without --take-over the preview is the refusal.
        #expect(try box.run(["boot", "enable", "--config", config, "--dry-run"]).status == 2)
    }

    /// Under --root no program runs: the unit is disabled by a recorded `systemctl disable`.
    @Test func underRootTheDisableIsRecorded() throws {
        let box = try CLITests.Sandbox()
        let root = box.dir.appendingPathComponent("host").path
        try FileManager.default.createDirectory(atPath: root + "/etc/sriovctl", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: root + "/etc/systemd/system/multi-user.target.wants", withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            atPath: Self.fixture.appendingPathComponent("etc/systemd/system/sriov.service").path,
            toPath: root + "/etc/systemd/system/sriov.service")
        try FileManager.default.createSymbolicLink(
            atPath: root + "/etc/systemd/system/multi-user.target.wants/sriov.service", withDestinationPath: "../sriov.service")
        try "[[pf]]\nname = \"eth0\"\nnum-vfs = 1\n".write(toFile: root + "/etc/sriovctl/sriovctl.toml", atomically: true, encoding: .utf8)
        let run = try SystemCommandRunner().run([
            CLITests.binary.path, "boot", "enable", "--root", root, "--take-over", "--binary", "/usr/sbin/sriovctl",
        ])
        #expect(run.status == 0, "\(run.output)\(run.errorOutput)")
        let log = try String(contentsOfFile: root + "/run/sriovctl/commands.log", encoding: .utf8)
        #expect(log.contains(#"["systemctl","disable","sriov.service"]"#), "\(log)")
    }
}
