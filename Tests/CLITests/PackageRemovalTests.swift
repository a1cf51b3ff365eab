import Foundation
import SRIOVHost
import Testing

/// What the Debian package's prerm runs (`debug package-removal`) and what its postrm purge keeps:
/// removal never leaves the host without a way to make its VFs at boot, and purge keeps the
/// records only sriovctl can undo with.
@Suite struct PackageRemovalTests {
    @Test func aTakenOverUnitIsPutBackAndEveryFileIsAsBefore() throws {
        let (box, root, config) = try TakeOverTests.prepared()
        let original = TakeOverTests.tree(root)
        let taken = try box.run(["boot", "enable", "--config", config, "--take-over"])
        #expect(taken.status == 0, "\(taken.out)\(taken.err)")
        #expect(TakeOverTests.tree(root)["etc/systemd/system/multi-user.target.wants/sriov.service"] == nil)

        let removal = try box.run(["debug", "package-removal", "--config", config])
        #expect(removal.status == 0, "\(removal.out)\(removal.err)")
        #expect(removal.out.contains("ran systemctl enable sriov.service"), "\(removal.out)")
        #expect(removal.out.contains("ran systemctl disable --now sriovctl-watch.service sriovctl.service"), "\(removal.out)")
        #expect(TakeOverTests.tree(root) == original, "sriov.service enabled again, sriovctl's units gone, every file as it was")
    }

    @Test func removalIsRefusedWhileOnlySriovctlMakesTheVFsAndNothingChanges() throws {
        let box = try CLITests.Sandbox()
        let config = try box.config("[[pf]]\nname = \"enp6s0f0\"\nnum-vfs = 2\n\n[[pf.vf]]\nindex = 0\nvm = 100\n")
        let enabled = try box.run(["boot", "enable", "--config", config])
        #expect(enabled.status == 0, "\(enabled.out)\(enabled.err)")
        let root = box.state + ".root"
        let before = TakeOverTests.tree(root)
        let state = box.stateBytes()

        let refused = try box.run(["debug", "package-removal", "--config", config])
        #expect(refused.status == 1)
        #expect(refused.err.contains("the package was not removed: sriovctl.service makes 2 VFs of enp6s0f0 at every boot"), "\(refused.err)")
        #expect(refused.err.contains("(VM 100) could not start"), "\(refused.err)")
        #expect(refused.err.contains("sriovctl boot disable") && refused.err.contains("SRIOVCTL_REMOVE_ANYWAY=1"))
        #expect(TakeOverTests.tree(root) == before && box.stateBytes() == state, "nothing changed")

        // The config the enabled unit names is the one judged, whatever --config says now.
        let elsewhere = try box.run(["debug", "package-removal"])
        #expect(elsewhere.status == 1, "\(elsewhere.out)\(elsewhere.err)")

        let anyway = try box.run(["debug", "package-removal", "--anyway"])
        #expect(anyway.status == 0, "\(anyway.out)\(anyway.err)")
        #expect(anyway.out.contains("ran systemctl disable --now sriovctl-watch.service sriovctl.service"), "\(anyway.out)")
        #expect(TakeOverTests.tree(root)["etc/systemd/system/sriovctl.service"] == nil)
    }

    @Test func removalGoesOnWhenTheBootUnitIsNotEnabled() throws {
        let box = try CLITests.Sandbox()
        _ = try box.config("[[pf]]\nname = \"enp6s0f0\"\nnum-vfs = 2\n")
        let removal = try box.run(["debug", "package-removal"])
        #expect(removal.status == 0, "\(removal.out)\(removal.err)")
        #expect(removal.out.contains("no sriovctl units are installed"), "\(removal.out)")
    }

    // MARK: postrm purge, run as dpkg runs it, in a DPKG_ROOT.

    static let postrm = CLITests.examples.deletingLastPathComponent().appendingPathComponent("packaging/debian/postrm").path

    static func purge(_ box: CLITests.Sandbox, files: [String]) throws -> (CLITests.Run, String) {
        let root = box.dir.appendingPathComponent("dpkg-root").path
        for file in files {
            let path = root + "/" + file
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try "x\n".write(toFile: path, atomically: true, encoding: .utf8)
        }
        let result = try SystemCommandRunner().run(["/usr/bin/env", "DPKG_ROOT=\(root)", "/bin/sh", postrm, "purge"])
        return (CLITests.Run(status: result.status, out: result.output, err: result.errorOutput), root)
    }

    @Test func purgeKeepsHostPrepareRecordsWhileItsChangesAreInPlace() throws {
        let box = try CLITests.Sandbox()
        let (run, root) = try Self.purge(
            box,
            files: [
                "etc/sriovctl/sriovctl.toml", "var/lib/sriovctl/host-prepare.json", "var/lib/sriovctl/backup/etc_default_grub",
                "var/lib/sriovctl/capabilities.json", "var/lib/sriovctl/hookscript.json", "etc/default/grub.d/sriovctl.cfg",
                "etc/systemd/system/sriovctl.service.d/sriovctl.conf",
            ])
        #expect(run.status == 0, "\(run.err)")
        let exists = { (path: String) in FileManager.default.fileExists(atPath: root + "/" + path) }
        #expect(exists("var/lib/sriovctl/host-prepare.json") && exists("var/lib/sriovctl/backup/etc_default_grub"))
        #expect(!exists("var/lib/sriovctl/capabilities.json") && !exists("var/lib/sriovctl/hookscript.json"))
        #expect(!exists("etc/sriovctl") && !exists("etc/systemd/system/sriovctl.service.d"))
        #expect(exists("etc/default/grub.d/sriovctl.cfg"), "the kernel's changes stay: guests' passthrough needs them")
        #expect(run.err.contains("kept \(root)/var/lib/sriovctl (host-prepare.json backup)"), "\(run.err)")
        #expect(run.err.contains("sriovctl host prepare --undo"))
    }

    @Test func purgeAfterUndoLeavesNothing() throws {
        let box = try CLITests.Sandbox()
        let (run, root) = try Self.purge(
            box,
            files: [
                "etc/sriovctl/sriovctl.toml", "var/lib/sriovctl/capabilities.json", "etc/systemd/system/multi-user.target.wants/sriovctl.service",
            ])
        #expect(run.status == 0 && run.err.isEmpty, "\(run.err)")
        for path in ["etc/sriovctl", "var/lib/sriovctl", "etc/systemd/system/multi-user.target.wants/sriovctl.service"] {
            #expect(!FileManager.default.fileExists(atPath: root + "/" + path), "\(path)")
        }
    }
}

/// The packaged units' `Documentation=` name man pages the package installs: each
/// `man:sriovctl-boot-enable(8)` is a command whose help exists, `sriovctl.toml(5)` is in docs/man.
@Suite struct UnitDocumentationTests {
    @Test func everyDocumentationPageExists() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sriovctl-units-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let written = try SystemCommandRunner().run([CLITests.binary.path, "debug", "packaged-units", folder.path])
        #expect(written.status == 0, "\(written.errorOutput)")
        var pages: [String] = []
        for name in try FileManager.default.contentsOfDirectory(atPath: folder.path) {
            let text = try String(contentsOf: folder.appendingPathComponent(name), encoding: .utf8)
            let lines = text.split(separator: "\n").filter { $0.hasPrefix("Documentation=") }
            #expect(lines.count == 1, "\(name) has one Documentation= line")
            pages += lines.flatMap { $0.dropFirst("Documentation=".count).split(separator: " ").map(String.init) }
        }
        #expect(pages.count >= 6)
        for page in pages {
            #expect(page.hasPrefix("man:") && page.hasSuffix(")"), "\(page)")
            let name = page.dropFirst(4).prefix { $0 != "(" }
            if name == "sriovctl.toml" {
                let manual = CLITests.examples.deletingLastPathComponent().appendingPathComponent("docs/man/sriovctl.toml.5").path
                #expect(FileManager.default.fileExists(atPath: manual))
                continue
            }
            let words = name.split(separator: "-").map(String.init)
            #expect(words.first == "sriovctl" && words.count > 1, "\(page)")
            let help = try SystemCommandRunner().run([CLITests.binary.path] + words.dropFirst() + ["--help"])
            #expect(
                help.status == 0 && help.output.contains("USAGE: sriovctl \(words.dropFirst().joined(separator: " "))"), "\(page): \(help.output)")
        }
    }
}

/// Every man page's EXAMPLES parse as sriovctl parses them, and every visible command has one.
@Suite struct ManualExamplesTests {
    @Test func everyExampleParsesAndEveryCommandHasOne() throws {
        let check = try SystemCommandRunner().run([CLITests.binary.path, "debug", "man-examples", "--check"])
        #expect(check.status == 0, "\(check.errorOutput)")
        let listed = try SystemCommandRunner().run([CLITests.binary.path, "debug", "man-examples"])
        let commands = Set(listed.output.split(separator: "\n").compactMap { $0.split(separator: "\t").first.map(String.init) })
        #expect(commands.isSuperset(of: ["status", "apply", "boot enable", "hookscript remove", "why", "top"]), "\(commands)")
        #expect(listed.output.split(separator: "\n").allSatisfy { $0.split(separator: "\t").count == 3 })
    }
}
