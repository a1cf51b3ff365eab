import Foundation
import SRIOVCore
@testable import SRIOVHost
import Testing

/// Records every command instead of running it; answers from a table.
final class RecordingRunner: CommandRunning, @unchecked Sendable {
    var commands: [[String]] = []
    var answers: [String: CommandResult] = [:]

    func run(_ argv: [String]) throws -> CommandResult {
        commands.append(argv)
        return answers[argv.joined(separator: " ")] ?? CommandResult(status: 0)
    }
}

@Suite struct BootManagerTests {
    let rendered = BootManager.render(binary: "/usr/local/sbin/sriovctl", config: "/etc/sriovctl/sriovctl.toml", waitSeconds: 60)

    @Test func enableWritesBothUnitsThenReloadsAndEnables() throws {
        let tree = try TemporaryTree()
        let runner = RecordingRunner()
        let log = BootManager(fs: RootedFileSystem(root: tree.root.path), runner: runner).enable(rendered, now: false)
        #expect(!log.failed, "\(log.lines)")
        for (name, text) in rendered.files {
            let written = try String(contentsOf: tree.root.appendingPathComponent("etc/systemd/system/\(name)"), encoding: .utf8)
            #expect(written == text)
        }
        #expect(runner.commands == [["systemctl", "daemon-reload"],
                                    ["systemctl", "enable", "sriovctl.service", "sriovctl-watch.service"]])
        // A second enable rewrites nothing.
        let again = BootManager(fs: RootedFileSystem(root: tree.root.path), runner: runner).enable(rendered, now: true)
        #expect(again.lines.filter { $0.hasPrefix("wrote") }.isEmpty)
        #expect(runner.commands.last == ["systemctl", "enable", "--now", "sriovctl.service", "sriovctl-watch.service"])
    }

    @Test func disableRemovesEverything() throws {
        let tree = try TemporaryTree()
        let runner = RecordingRunner()
        let manager = BootManager(fs: RootedFileSystem(root: tree.root.path), runner: runner)
        _ = manager.enable(rendered, now: false)
        runner.commands = []
        let log = manager.disable()
        #expect(!log.failed)
        #expect(try FileManager.default.contentsOfDirectory(atPath: tree.root.appendingPathComponent("etc/systemd/system").path)
            .filter { $0.contains("sriovctl") }.isEmpty)
        #expect(runner.commands.first == ["systemctl", "disable", "--now", "sriovctl-watch.service", "sriovctl.service"])
        #expect(runner.commands.contains(["systemctl", "daemon-reload"]))
        #expect(manager.disable().lines == ["no sriovctl units are installed"])
    }

    @Test func aFailingSystemctlIsReported() throws {
        let tree = try TemporaryTree()
        let runner = RecordingRunner()
        runner.answers["systemctl daemon-reload"] = CommandResult(status: 1, errorOutput: "System has not been booted with systemd")
        let log = BootManager(fs: RootedFileSystem(root: tree.root.path), runner: runner).enable(rendered, now: false)
        #expect(log.failed)
        #expect(log.lines.contains { $0.contains("exited 1: System has not been booted with systemd") })
    }

    @Test func statusTellsInstalledCurrentAndEnabled() throws {
        let tree = try TemporaryTree()
        let runner = RecordingRunner()
        runner.answers["systemctl is-enabled sriovctl.service"] = CommandResult(status: 0, output: "enabled\n")
        runner.answers["systemctl show sriovctl.service -p ActiveState,SubState,Result,ExecMainStatus,ExecMainExitTimestamp"] =
            CommandResult(status: 0, output: "ActiveState=active\nSubState=exited\nResult=success\nExecMainStatus=0\n")
        let manager = BootManager(fs: RootedFileSystem(root: tree.root.path), runner: runner)
        #expect(manager.status(rendered).allSatisfy { !$0.installed })
        _ = manager.enable(rendered, now: false)
        let status = manager.status(rendered)
        #expect(status[0].installed && status[0].current && status[0].enabled == "enabled")
        #expect(status[0].properties["Result"] == "success")
        let other = BootManager.render(binary: "/opt/sriovctl", config: "/etc/sriovctl/sriovctl.toml", waitSeconds: 60)
        #expect(!manager.status(other)[0].current, "a unit for another binary is not current")
    }

    @Test func commandRunnerCapturesOutputAndStatus() throws {
        let result = try SystemCommandRunner().run(["sh", "-c", "echo out; echo err >&2; exit 3"])
        #expect(result == CommandResult(status: 3, output: "out\n", errorOutput: "err\n"))
        #expect(throws: CommandNotRunnable.self) { _ = try SystemCommandRunner().run(["/nonexistent/tool"]) }
    }
}
