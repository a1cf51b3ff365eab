import Foundation
import SRIOVCore
import SRIOVEngine
import SRIOVHost
import TestSupport
import Testing

/// `boot enable|disable|status` and `serve enable` through the engine: on a host tree (files
/// written in the tree, programs recorded) and on a simulated host (units enabled in its state).
@Suite struct UnitInstallerTests {
    let rendered = try! UnitInstaller.boot(binary: "/usr/local/sbin/sriovctl", config: "/etc/sriovctl/sriovctl.toml", waitSeconds: 60)

    @Test func enableOnATreeWritesBothUnitsAndRecordsSystemctl() throws {
        let tree = try TemporaryTree()
        try tree.write("etc/sriovctl/sriovctl.toml", "[[pf]]\nname = \"eth0\"\nnum-vfs = 2\n")
        let report = try UnitInstaller.enable(rendered, now: false, on: tree.selection)
        #expect(!report.failed, "\(report.lines)")
        // No man pages on this host: the units name none (systemd-analyze verify would fail).
        for unit in rendered.files {
            let documented = unit.text.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.hasPrefix("Documentation=") }.joined(
                separator: "\n")
            #expect(tree.read("etc/systemd/system/\(unit.name)") == documented)
        }
        #expect(
            try tree.recordedPrograms() == [
                ["systemctl", "daemon-reload"],
                ["systemctl", "enable", "sriovctl.service", "sriovctl-watch.service"],
            ])
        #expect(report.lines.contains("would run: systemctl daemon-reload (--root: recorded in /run/sriovctl/commands.log, not run)"))
        // A second enable rewrites nothing.
        let again = try UnitInstaller.enable(rendered, now: true, on: tree.selection)
        #expect(again.lines.filter { $0.hasPrefix("wrote") }.isEmpty)
        #expect(try tree.recordedPrograms().last == ["systemctl", "enable", "--now", "sriovctl.service", "sriovctl-watch.service"])
    }

    @Test func documentationNamesTheManPagesTheHostHas() throws {
        let tree = try TemporaryTree()
        try tree.write("etc/sriovctl/sriovctl.toml", "[[pf]]\nname = \"eth0\"\nnum-vfs = 2\n")
        try tree.write("usr/share/man/man8/sriovctl-boot-enable.8.gz", "")
        #expect(!(try UnitInstaller.enable(rendered, now: false, on: tree.selection)).failed)
        let unit = try #require(tree.read("etc/systemd/system/sriovctl.service"))
        #expect(unit.contains("\nDocumentation=man:sriovctl-boot-enable(8)\n"), "the page that is there, not sriovctl.toml(5)")
        let watcher = try #require(tree.read("etc/systemd/system/sriovctl-watch.service"))
        #expect(watcher.contains("\nDocumentation=man:sriovctl-boot-enable(8)\n"))
        #expect(try UnitInstaller.status(rendered, on: tree.selection).allSatisfy(\.current))
        #expect(BootUnits.manPagePath("man:sriovctl.toml(5)") == "/usr/share/man/man5/sriovctl.toml.5.gz")
        #expect(BootUnits.manPagePath("https://example.org") == nil && BootUnits.manPagePath("man:x(88)") == nil)
    }

    @Test func enableRefusesAnInvalidConfigAndWritesNothing() throws {
        let tree = try TemporaryTree()
        try tree.write("etc/sriovctl/sriovctl.toml", "[[pf]]\nname = \"eth0\"\nnum-vfs = \"two\"\n")
        #expect(throws: ConfigError.self) { _ = try UnitInstaller.enable(rendered, now: false, on: tree.selection) }
        #expect(tree.read("etc/systemd/system/sriovctl.service") == nil)
        #expect(try tree.recordedPrograms().isEmpty)
    }

    @Test func disableRemovesEverythingOnASimulatedHost() throws {
        let box = try SimulatedSandbox(SimulatedHostDescription(pfs: [.igb("enp6s0f0", pci: "0000:06:00.0", mac: "a0:36:9f:3c:5e:10")]))
        let config = box.dir.appendingPathComponent("c.toml").path
        try "[[pf]]\nname = \"enp6s0f0\"\nnum-vfs = 2\n".write(toFile: config, atomically: true, encoding: .utf8)
        var selection = box.selection
        selection.config = config
        #expect(!(try UnitInstaller.enable(rendered, now: true, on: selection)).failed)
        let status = try UnitInstaller.status(rendered, on: selection)
        #expect(status.map(\.enabled) == ["enabled", "enabled"], "the simulated systemctl enabled them")
        #expect(status.allSatisfy { $0.installed && $0.current })
        let report = try UnitInstaller.disable([BootUnits.watchUnit, BootUnits.applyUnit], on: selection)
        #expect(!report.failed, "\(report.lines)")
        #expect(try box.host().files.list(BootUnits.directory).isEmpty)
        #expect(try UnitInstaller.status(rendered, on: selection).map(\.enabled) == ["disabled", "disabled"])
        #expect(try UnitInstaller.disable([BootUnits.watchUnit], on: selection).lines == ["no sriovctl units are installed"])
    }

    @Test func aFailingSystemctlIsReported() throws {
        var description = SimulatedHostDescription(pfs: [.igb("enp6s0f0", pci: "0000:06:00.0", mac: "a0:36:9f:3c:5e:10")])
        description.machine = .init(failingPrograms: ["systemctl": "System has not been booted with systemd"])
        let box = try SimulatedSandbox(description)
        let metrics = try UnitInstaller.metrics(binary: "/usr/sbin/sriovctl", config: "/etc/sriovctl/sriovctl.toml", listen: .default)
        let report = try UnitInstaller.enable(metrics, now: false, on: box.selection)
        #expect(report.failed)
        #expect(report.lines.contains { $0.contains("exited 1: System has not been booted with systemd") }, "\(report.lines)")
    }

    @Test func statusTellsCurrentAndNotCurrent() throws {
        let tree = try TemporaryTree()
        try tree.write("etc/sriovctl/sriovctl.toml", "[[pf]]\nname = \"eth0\"\nnum-vfs = 2\n")
        #expect(try UnitInstaller.status(rendered, on: tree.selection).allSatisfy { !$0.installed })
        _ = try UnitInstaller.enable(rendered, now: false, on: tree.selection)
        let status = try UnitInstaller.status(rendered, on: tree.selection)
        #expect(status[0].installed && status[0].current)
        #expect(status[0].enabled == "unknown", "no program runs under --root, so nobody can say")
        let other = try UnitInstaller.boot(binary: "/opt/sriovctl", config: "/etc/sriovctl/sriovctl.toml", waitSeconds: 60)
        #expect(!(try UnitInstaller.status(other, on: tree.selection))[0].current, "a unit for another binary is not current")
    }

    @Test(arguments: ["/x.toml&id>PWNED", "relative.toml", "/a b.toml", "/x;reboot", "/x$(id)"])
    func pathsAUnitCannotNameSafelyAreRefused(config: String) {
        #expect(throws: EngineError.self) { _ = try UnitInstaller.boot(binary: "/usr/sbin/sriovctl", config: config, waitSeconds: 60) }
    }
}

/// Where the Debian package installed the units, `boot enable` uses them.
@Suite struct PackagedUnitTests {
    func packagedTree() throws -> TemporaryTree {
        let tree = try TemporaryTree()
        try tree.write("etc/sriovctl/sriovctl.toml", "[[pf]]\nname = \"eth0\"\nnum-vfs = 2\n")
        for unit in try UnitInstaller.packagedUnits() { try tree.write("usr/lib/systemd/system/\(unit.name)", unit.text) }
        return tree
    }

    @Test func theDefaultsEnableThePackagedUnitsAsTheyAre() throws {
        let tree = try packagedTree()
        let rendered = try UnitInstaller.boot(binary: "/usr/sbin/sriovctl", config: "/etc/sriovctl/sriovctl.toml", waitSeconds: 60)
        let report = try UnitInstaller.enable(rendered, now: false, on: tree.selection)
        #expect(!report.failed, "\(report.lines)")
        #expect(tree.read("etc/systemd/system/sriovctl.service") == nil, "no copy shadows the packaged unit")
        #expect(tree.read("etc/systemd/system/sriovctl.service.d/sriovctl.conf") == nil, "nothing differs")
        #expect(try tree.recordedPrograms().last == ["systemctl", "enable", "sriovctl.service", "sriovctl-watch.service"])
        #expect(try UnitInstaller.status(rendered, on: tree.selection).allSatisfy { $0.installed && $0.current && $0.packaged })
    }

    @Test func otherOptionsGoInADropInThatDisableRemoves() throws {
        let tree = try packagedTree()
        try tree.write("etc/systemd/system/sriovctl.service", "# Installed by `sriovctl boot enable` from source\n")
        let rendered = try UnitInstaller.boot(binary: "/opt/sriovctl/sriovctl", config: "/etc/sriovctl/sriovctl.toml", waitSeconds: 60)
        #expect(try UnitInstaller.status(rendered, on: tree.selection).allSatisfy { !$0.current })
        #expect(!(try UnitInstaller.enable(rendered, now: false, on: tree.selection)).failed)
        #expect(tree.read("etc/systemd/system/sriovctl.service") == nil, "the old copy in /etc would shadow the package's")
        let dropIn = try #require(tree.read("etc/systemd/system/sriovctl.service.d/sriovctl.conf"))
        #expect(dropIn.contains("ExecStart=/opt/sriovctl/sriovctl apply --boot --wait 60 --config /etc/sriovctl/sriovctl.toml"))
        #expect(try UnitInstaller.status(rendered, on: tree.selection).allSatisfy { $0.current })
        #expect(try UnitInstaller.enable(rendered, now: false, on: tree.selection).lines.filter { $0.hasPrefix("wrote") }.isEmpty)
        let off = try UnitInstaller.disable([BootUnits.watchUnit, BootUnits.applyUnit], on: tree.selection)
        #expect(!off.failed)
        #expect(tree.read("etc/systemd/system/sriovctl.service.d/sriovctl.conf") == nil)
        #expect(tree.read("usr/lib/systemd/system/sriovctl.service") != nil, "the package's unit stays")
    }
}
