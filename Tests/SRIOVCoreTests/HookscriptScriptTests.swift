import Foundation
import SRIOVCore
import Testing

/// The hookscript run by /bin/sh as Proxmox runs it (`HOOK VMID PHASE`), with a stand-in sriovctl
/// and a guest's own hookscript that log their arguments: which runs when, and the exit status
/// Proxmox sees.
@Suite struct HookscriptScriptTests {
    struct Run {
        var status: Int32
        var log: [String]
        var errors: String
    }

    final class Folder {
        let url: URL
        init() throws {
            url = FileManager.default.temporaryDirectory.appendingPathComponent("sriovctl-hook-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        }
        deinit { try? FileManager.default.removeItem(at: url) }
        var path: String { url.path }

        func script(_ name: String, exit code: Int) throws -> String {
            let file = "\(path)/\(name)"
            try "#!/bin/sh\necho \"\(name) $*\" >> \(path)/log\nexit \(code)\n".write(toFile: file, atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: file)
            return file
        }
    }

    /// Runs the script; again when a script it runs was still open for writing in a process
    /// another test forked at that moment (ETXTBSY, exit 126: the test harness's race, not the script's).
    func run(_ text: String, in folder: Folder, _ args: [String]) throws -> Run {
        var result = try runOnce(text, in: folder, args)
        for _ in 0..<20 where result.status == 126 && result.errors.contains("busy") {
            usleep(50_000)
            result = try runOnce(text, in: folder, args)
        }
        return result
    }

    func runOnce(_ text: String, in folder: Folder, _ args: [String]) throws -> Run {
        let hook = "\(folder.path)/\(Hookscript.fileName)"
        try text.write(toFile: hook, atomically: true, encoding: .utf8)
        try? FileManager.default.removeItem(atPath: "\(folder.path)/log")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = [hook] + args
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        process.waitUntilExit()
        let log = (try? String(contentsOfFile: "\(folder.path)/log", encoding: .utf8)) ?? ""
        return Run(
            status: process.terminationStatus, log: log.split(separator: "\n").map(String.init),
            errors: String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self))
    }

    @Test func withoutAnOwnHookscriptSriovctlRunsAtPreStartAndPostStopOnly() throws {
        let folder = try Folder()
        let binary = try folder.script("sriovctl", exit: 0)
        let config = "\(folder.path)/sriovctl.toml"
        try "".write(toFile: config, atomically: true, encoding: .utf8)
        let text = Hookscript.text(binary: binary, config: config)
        let start = try run(text, in: folder, ["101", "pre-start"])
        #expect(start.status == 0)
        #expect(start.log == ["sriovctl apply --guest 101 --phase pre-start --config \(config)"])
        #expect(try run(text, in: folder, ["101", "post-start"]).log.isEmpty)
        #expect(try run(text, in: folder, ["101", "post-stop"]).log == ["sriovctl apply --guest 101 --phase post-stop --config \(config)"])
    }

    @Test func aFailingApplyStopsTheStart() throws {
        let folder = try Folder()
        let binary = try folder.script("sriovctl", exit: 1)
        let config = "\(folder.path)/sriovctl.toml"
        try "".write(toFile: config, atomically: true, encoding: .utf8)
        #expect(try run(Hookscript.text(binary: binary, config: config), in: folder, ["101", "pre-start"]).status == 1)
    }

    @Test func theGuestsOwnHookscriptRunsFirstWithItsArgumentsAndStatus() throws {
        let folder = try Folder()
        let binary = try folder.script("sriovctl", exit: 0)
        let own = try folder.script("reset-gpu.pl", exit: 0)
        let failing = try folder.script("refuse.sh", exit: 3)
        let config = "\(folder.path)/sriovctl.toml"
        try "".write(toFile: config, atomically: true, encoding: .utf8)
        let text = Hookscript.text(binary: binary, config: config, chained: [101: own, 102: failing])
        let start = try run(text, in: folder, ["101", "pre-start"])
        #expect(start.status == 0)
        #expect(start.log == ["reset-gpu.pl 101 pre-start", "sriovctl apply --guest 101 --phase pre-start --config \(config)"])
        #expect(try run(text, in: folder, ["101", "pre-stop"]).log == ["reset-gpu.pl 101 pre-stop"], "every phase reaches the guest's own")
        let refused = try run(text, in: folder, ["102", "pre-start"])
        #expect(refused.status == 3, "its refusal still stops the start")
        #expect(refused.log == ["refuse.sh 102 pre-start"])
        let stopped = try run(text, in: folder, ["102", "post-stop"])
        #expect(stopped.status == 3 && stopped.log.count == 2, "post-stop still cleans up, and reports its status")
        #expect(try run(text, in: folder, ["103", "pre-start"]).log == ["sriovctl apply --guest 103 --phase pre-start --config \(config)"])
    }

    @Test func withSriovctlGoneTheGuestStillStarts() throws {
        let folder = try Folder()
        let own = try folder.script("own.sh", exit: 0)
        let text = Hookscript.text(binary: "\(folder.path)/gone", config: "\(folder.path)/none.toml", chained: [101: own])
        let start = try run(text, in: folder, ["101", "pre-start"])
        #expect(start.status == 0)
        #expect(start.log == ["own.sh 101 pre-start"])
        #expect(start.errors.contains("VM 101's VF settings were not re-asserted"))
        #expect(try run(text, in: folder, ["100", "pre-start"]).status == 0)
    }

    @Test(arguments: [
        ("local:snippets/reset-gpu.pl", true), ("nfs-1:snippets/a.sh", true), ("local:snippets/../x", false),
        ("local:snippets/a b", false), ("local:iso/a.sh", false), ("local:snippets/$(x)", false), ("local:snippets/a';x", false),
    ])
    func volumesAScriptMayName(volume: String, accepted: Bool) {
        #expect(HookscriptRecord.isVolume(volume) == accepted)
    }
}
