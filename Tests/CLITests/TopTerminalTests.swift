import Foundation
import SRIOVHost
import Testing

/// `sriovctl top` in a real terminal (tmux): it draws, follows a resize, changes order on `s`,
/// quits on `q`, and leaves the terminal exactly as it found it. Skipped, with the reason, where
/// tmux is not installed.
@Suite(.serialized) struct TopTerminalTests {
    static let tmuxPath = ["/usr/bin/tmux", "/usr/local/bin/tmux"].first(where: FileManager.default.isExecutableFile)

    final class Session {
        let socket = "sriovctl-test-\(UUID().uuidString.prefix(8))"
        let name = "top"
        let box: CLITests.Sandbox

        init(width: Int, height: Int, environment: [String: String]) throws {
            box = try CLITests.Sandbox()
            box.host = "e810-2port.json"
            var env = ["TERM": "xterm-256color"]
            env.merge(environment) { $1 }
            let exports = env.map { "export \($0.key)='\($0.value)'" }.joined(separator: "; ")
            let args = (["top", "--interval", "0.3"] + box.simulation).map { "'\($0)'" }.joined(separator: " ")
            // The shell records the terminal settings before and after, and top's exit status.
            // swift test sets NO_COLOR for what it runs: each session says what it wants. Ctrl-C
            // goes to the whole foreground group; the shell ignores it so it can report top's exit.
            let colour = environment["NO_COLOR"] == nil ? "unset NO_COLOR; " : ""
            let script =
                "\(colour)\(exports); trap '' INT; stty -g > '\(box.dir.path)/before'; '\(CLITests.binary.path)' \(args); "
                + "echo \"top-exit=$?\"; stty -g > '\(box.dir.path)/after'; sleep 60"
            _ = try tmux(["new-session", "-d", "-s", name, "-x", String(width), "-y", String(height), "sh", "-c", script])
        }

        deinit { _ = try? tmux(["kill-server"]) }

        @discardableResult
        func tmux(_ args: [String]) throws -> String {
            // posix_spawn and waitpid (Foundation's Process can miss the exit of a client whose
            // server daemonizes).
            let argv = [TopTerminalTests.tmuxPath!, "-L", socket, "-f", "/dev/null"] + args
            // new-session starts the server, which lives on: it must not keep other tests' pipes.
            let result = try SystemCommandRunner().run(args.first == "new-session" ? CLITests.withoutInheritedDescriptors(argv) : argv)
            return result.output + result.errorOutput
        }

        /// The screen as text, or with escape codes (`-e`).
        func screen(escapes: Bool = false) throws -> String {
            try tmux(["capture-pane", "-p", "-t", name] + (escapes ? ["-e"] : []))
        }

        /// Waits up to 10 s for the screen to satisfy `ready`; returns the last screen seen.
        func wait(_ what: String, escapes: Bool = false, _ ready: (String) -> Bool) throws -> String {
            var text = ""
            for _ in 0..<100 {
                text = try screen(escapes: escapes)
                if ready(text) { return text }
                usleep(100_000)
            }
            Issue.record("timed out waiting for \(what); screen:\n\(text)")
            return text
        }

        func file(_ name: String) -> String? {
            try? String(contentsOfFile: box.dir.appendingPathComponent(name).path, encoding: .utf8)
        }
    }

    @Test(.enabled(if: tmuxPath != nil, "tmux is not installed (scripts/test-tools installs it)")) func drawsResizesSortsQuitsAndRestoresTheTerminal()
        throws
    {
        let s = try Session(width: 160, height: 30, environment: [:])
        let first = try s.wait("rates on screen") { $0.contains("RX bit/s") && $0.contains("500M") }
        let lines = first.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines[0].hasPrefix("sriovctl top - sort: total (s) - quit: q - 256 VFs on 1 PF"))
        #expect(lines[0].contains("every 0.3 s - simulated e810-2port.json"))
        #expect(first.contains("MAC") && first.contains("SOURCE"), "160 columns: the full table")
        #expect(first.contains("more VFs"), "256 VFs do not fit in 30 lines: it says so")
        #expect(first.split(separator: "\n").count <= 30)
        let coloured = try s.screen(escapes: true)
        #expect(coloured.contains("\u{1B}[32m"), "rates in colour without NO_COLOR")

        try s.tmux(["resize-window", "-t", s.name, "-x", "64", "-y", "12"])
        let narrow = try s.wait("the narrow layout") { screen in
            !screen.contains("MAC") && screen.split(separator: "\n").count <= 12 && screen.contains("RX bit/s")
        }
        for line in narrow.split(separator: "\n") { #expect(line.count <= 64, "\(line)") }

        try s.tmux(["send-keys", "-t", s.name, "s"])
        _ = try s.wait("the rx order") { $0.contains("sort: rx (s)") }

        try s.tmux(["send-keys", "-t", s.name, "q"])
        let after = try s.wait("top to quit") { $0.contains("top-exit=") }
        #expect(after.contains("top-exit=0"))
        #expect(!after.contains("RX bit/s"), "the alternate screen is gone: the shell's screen is back")
        _ = try s.wait("stty to record") { _ in s.file("after")?.hasSuffix("\n") == true }  // the shell makes the file before stty writes it
        let before = try #require(s.file("before"))
        #expect(s.file("after") == before, "echo, canonical mode and the suspend key are back as they were")
    }

    @Test(.enabled(if: tmuxPath != nil, "tmux is not installed (scripts/test-tools installs it)")) func noColourMeansNoColourCodes() throws {
        let s = try Session(width: 160, height: 20, environment: ["NO_COLOR": "1"])
        let screen = try s.wait("rates on screen", escapes: true) { $0.contains("RX bit/s") && $0.contains("500M") }
        let colourCodes = ["\u{1B}[31m", "\u{1B}[32m", "\u{1B}[33m", "\u{1B}[90m", "38;5", "38;2"]
        #expect(!colourCodes.contains { screen.contains($0) }, "NO_COLOR: \(screen.prefix(400))")
        try s.tmux(["send-keys", "-t", s.name, "q"])
        _ = try s.wait("top to quit") { $0.contains("top-exit=0") }
    }

    @Test(.enabled(if: tmuxPath != nil, "tmux is not installed (scripts/test-tools installs it)")) func interruptAlsoRestoresTheTerminal() throws {
        let s = try Session(width: 120, height: 20, environment: [:])
        _ = try s.wait("rates on screen") { $0.contains("RX bit/s") }
        try s.tmux(["send-keys", "-t", s.name, "C-c"])
        let after = try s.wait("top to stop") { $0.contains("top-exit=") }
        #expect(after.contains("top-exit=0"), "Ctrl-C is a normal way out")
        _ = try s.wait("stty to record") { _ in s.file("after")?.hasSuffix("\n") == true }  // the shell makes the file before stty writes it
        #expect(s.file("after") == s.file("before"))
    }
}
