import Foundation
import SRIOVHost
import Testing

/// `sriovctl watch --simulate`: the simulated host's state changing (another sriovctl removed
/// the VFs) is its device event; the watcher re-applies, and SIGTERM ends it with exit 0.
@Suite struct WatchCLITests {
    @Test func aSimulatedResetIsReappliedAndSIGTERMEndsItCleanly() throws {
        let box = try CLITests.Sandbox()
        let config = try box.config("[[pf]]\nname = \"enp6s0f2\"\nnum-vfs = 2\n")
        let zero = box.dir.appendingPathComponent("zero.toml").path
        try "[[pf]]\nname = \"enp6s0f2\"\nnum-vfs = 0\n".write(toFile: zero, atomically: true, encoding: .utf8)
        #expect(try box.run(["apply", "--config", config]).status == 0)

        let output = box.dir.appendingPathComponent("watch.out").path
        let watcher = try CLITests.Background(
            [CLITests.binary.path, "watch", "--settle", "0.2", "--config", config] + box.simulation, output: output)
        let log = {
            ((try? String(contentsOfFile: output, encoding: .utf8)) ?? "") + ((try? String(contentsOfFile: output + ".err", encoding: .utf8)) ?? "")
        }
        var started = false
        for _ in 0..<100 where !started {
            started = log().contains("watching for PF resets")
            if !started { usleep(100_000) }
        }
        #expect(started, "\(log())")

        // Someone else takes the VFs away.
        #expect(try box.run(["apply", "--config", zero]).status == 0)
        var back = false
        for _ in 0..<100 where !back {
            let status = try box.run(["status", "enp6s0f2", "--json"])
            back = status.out.contains("\"numVfs\": 2")
            if !back { usleep(100_000) }
        }
        #expect(back, "the watcher put the 2 VFs back: \(log())")
        #expect(log().contains("re-applied"), "\(log())")
        // SIGTERM, then up to 10 s for it to end (a watcher that ignores it is killed, and fails).
        kill(watcher.process.pid, SIGTERM)
        var ended = false
        for _ in 0..<100 where !ended {
            ended = !watcher.process.isRunning
            if !ended { usleep(100_000) }
        }
        #expect(ended, "SIGTERM did not end the watcher within 10 s")
        #expect(watcher.process.stop(SIGKILL) == 0, "SIGTERM ends it cleanly: \(log())")
        #expect(log().contains("stopped"))
    }

    /// On this machine's kernel the watcher sleeps in poll; SIGTERM wakes it through the stop
    /// pipe at once (no polling in slices), and it exits 0.
    @Test(.enabled(if: getuid() == 0, "the kernel's event sockets want root"))
    func onTheKernelSIGTERMEndsItAtOnce() throws {
        let box = try CLITests.Sandbox()
        let config = try box.config("[[pf]]\nname = \"nosuchpf0\"\nnum-vfs = 1\n")
        let output = box.dir.appendingPathComponent("watch.out").path
        let watcher = try CLITests.Background([CLITests.binary.path, "watch", "--config", config], output: output)
        var started = false
        for _ in 0..<100 where !started {
            started = ((try? String(contentsOfFile: output + ".err", encoding: .utf8)) ?? "").contains("watching for PF resets")
            if !started { usleep(100_000) }
        }
        #expect(started)
        usleep(300_000)
        let asked = monotonicSeconds()
        kill(watcher.process.pid, SIGTERM)
        var ended = false
        for _ in 0..<100 where !ended {
            ended = !watcher.process.isRunning
            if !ended { usleep(20_000) }
        }
        #expect(ended && monotonicSeconds() - asked < 1, "SIGTERM did not end it within a second")
        #expect(watcher.process.stop(SIGKILL) == 0)
    }

    @Test func aHostTreeIsRefused() throws {
        let box = try CLITests.Sandbox()
        let tree = box.dir.appendingPathComponent("tree").path
        try FileManager.default.createDirectory(atPath: tree, withIntermediateDirectories: true)
        let result = try SystemCommandRunner().run([CLITests.binary.path, "--root", tree, "watch"])
        #expect(result.status == 2)
        #expect(result.errorOutput.contains("watch needs a live host (or --simulate)"), "\(result.errorOutput)")
    }
}
