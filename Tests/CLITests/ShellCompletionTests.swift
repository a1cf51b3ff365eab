import Foundation
import SRIOVHost
import Testing

/// The generated zsh and fish completions, typed into the real shells in a terminal (tmux): PF
/// names and PCI addresses whole (zsh reads `value:description`, so colons are escaped), `PF:INDEX`
/// for assign, the guests for why, files after --config. Skipped, with the reason, where tmux, zsh
/// or fish is not installed (scripts/test-tools installs them).
@Suite(.serialized) struct ShellCompletionTests {
    static let zsh = ["/usr/bin/zsh", "/bin/zsh"].first(where: FileManager.default.isExecutableFile)
    static let fish = ["/usr/bin/fish", "/usr/local/bin/fish"].first(where: FileManager.default.isExecutableFile)
    static let tmux = TopTerminalTests.tmuxPath

    /// One interactive shell in tmux, in a folder with a.toml, b.json and sub/, with the completion
    /// script loaded and this build's sriovctl first on PATH.
    final class Shell {
        let socket = "sriovctl-completion-\(UUID().uuidString.prefix(8))"
        let box = try! CLITests.Sandbox()
        var files: URL { box.dir.appendingPathComponent("files") }

        init(_ shell: String) throws {
            try FileManager.default.createDirectory(at: files.appendingPathComponent("sub"), withIntermediateDirectories: true)
            for name in ["a.toml", "b.json"] { try "".write(to: files.appendingPathComponent(name), atomically: true, encoding: .utf8) }
            let kind = (shell as NSString).lastPathComponent
            let script = try SystemCommandRunner().run([CLITests.binary.path, "--generate-completion-script", kind]).output
            let path = CLITests.binary.deletingLastPathComponent().path + ":/usr/bin:/bin"
            let command: [String]
            if kind == "zsh" {
                let functions = box.dir.appendingPathComponent("zfunc")
                try FileManager.default.createDirectory(at: functions, withIntermediateDirectories: true)
                try script.write(to: functions.appendingPathComponent("_sriovctl"), atomically: true, encoding: .utf8)
                try "fpath=(\(functions.path) $fpath)\nautoload -Uz compinit && compinit -u -D\nPROMPT='%% '\n"
                    .write(to: box.dir.appendingPathComponent(".zshrc"), atomically: true, encoding: .utf8)
                command = ["env", "PATH=\(path)", "ZDOTDIR=\(box.dir.path)", "TERM=xterm", shell, "-i"]
            } else {
                let file = box.dir.appendingPathComponent("sriovctl.fish")
                try script.write(to: file, atomically: true, encoding: .utf8)
                command = ["env", "PATH=\(path)", "TERM=xterm", shell, "--no-config", "-C", "source \(file.path)"]
            }
            try tmux(["new-session", "-d", "-s", "c", "-x", "220", "-y", "20", "-c", files.path] + command)
        }

        deinit { _ = try? tmux(["kill-server"]) }

        @discardableResult
        func tmux(_ args: [String]) throws -> String {
            let argv = [ShellCompletionTests.tmux!, "-L", socket, "-f", "/dev/null"] + args
            let result = try SystemCommandRunner().run(args.first == "new-session" ? CLITests.withoutInheritedDescriptors(argv) : argv)
            return result.output + result.errorOutput
        }

        /// Types `line`, presses Tab (twice where the shell first completes a common prefix) and
        /// returns the screen once it shows every one of `expected` (or after 10 s).
        func complete(_ line: String, expecting expected: [String]) throws -> String {
            try tmux(["send-keys", "-t", "c", "C-u", line, "Tab"])
            var screen = ""
            for attempt in 0..<100 {
                usleep(100_000)
                screen = try tmux(["capture-pane", "-p", "-t", "c"])
                if expected.allSatisfy(screen.contains) { break }
                if attempt == 20 { try tmux(["send-keys", "-t", "c", "Tab"]) }
            }
            try tmux(["send-keys", "-t", "c", "C-c"])
            usleep(200_000)
            try tmux(["send-keys", "-t", "c", "clear", "Enter"])
            usleep(300_000)
            return screen
        }

        var simulated: String { "sriovctl --simulate \(CLITests.examples.appendingPathComponent("i350-t4-homelab.json").path)" }
    }

    /// The words on the screen (the prompt line and the completion listing), split at blanks.
    static func words(_ screen: String) -> Set<String> {
        Set(screen.split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init))
    }

    func check(_ shellPath: String) throws {
        let shell = try Shell(shellPath)
        let pcis = ["0000:06:00.0", "0000:06:00.1", "0000:06:00.2", "0000:06:00.3"]
        let pfs = try shell.complete("\(shell.simulated) status ", expecting: pcis)
        #expect(Self.words(pfs).isSuperset(of: pcis + ["enp6s0f0", "enp6s0f3"]), "PF names and whole PCI addresses:\n\(pfs)")
        #expect(!Self.words(pfs).contains("0000"), "a PCI address cut at its colon:\n\(pfs)")
        let vfs = try shell.complete("\(shell.simulated) assign enp6s0f0:", expecting: ["enp6s0f0:0", "enp6s0f0:3"])
        #expect(Self.words(vfs).isSuperset(of: ["enp6s0f0:0", "enp6s0f0:1", "enp6s0f0:2", "enp6s0f0:3"]), "PF:INDEX:\n\(vfs)")
        let guests = try shell.complete("\(shell.simulated) why ", expecting: ["100", "101"])
        #expect(Self.words(guests).isSuperset(of: ["100", "101"]), "the guests:\n\(guests)")
        // Before the subcommand: zsh and fish scripts (as ArgumentParser generates them) offer the
        // global options only there; bash also after it (BashCompletionTests).
        let config = try shell.complete("sriovctl --config ", expecting: ["a.toml", "sub/"])
        #expect(config.contains("a.toml") && !config.contains("b.json"), "only .toml files and folders:\n\(config)")
    }

    @Test(.enabled(if: tmux != nil && zsh != nil, "tmux or zsh is not installed (scripts/test-tools installs them)"))
    func zshOffersWholeAddressesVFsGuestsAndFiles() throws { try check(Self.zsh!) }

    @Test(.enabled(if: tmux != nil && fish != nil, "tmux or fish is not installed (scripts/test-tools installs them)"))
    func fishOffersWholeAddressesVFsGuestsAndFiles() throws { try check(Self.fish!) }
}
