#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import SRIOVCore

/// Carries out a `HostPrepPlan`: atomic writes with the originals kept for `--undo`, then the
/// commands (update-grub, proxmox-boot-tool refresh, update-initramfs), each reported.
public struct HostPreparer {
    public let fs: RootedFileSystem
    public let runner: any CommandRunning
    public static let record = "/var/lib/sriovctl/host-prepare.json"
    public static let backups = "/var/lib/sriovctl/backup"

    public init(fs: RootedFileSystem, runner: any CommandRunning) {
        self.fs = fs
        self.runner = runner
    }

    /// What `host prepare` changed, so `--undo` can put it back: per file, whether it existed.
    struct Record: Codable {
        struct Entry: Codable { var path: String; var existed: Bool; var backup: String? }
        var entries: [Entry] = []
    }

    public struct Outcome: Sendable {
        public var lines: [String] = []
        public var failed = false
    }

    public func apply(_ plan: HostPrepPlan) -> Outcome {
        var outcome = Outcome()
        var record = loadRecord()
        for edit in plan.edits {
            // The first time sriovctl touches a file, keep the original.
            if !record.entries.contains(where: { $0.path == edit.path }) {
                var entry = Record.Entry(path: edit.path, existed: edit.old != nil, backup: nil)
                if let old = edit.old {
                    let backup = "\(Self.backups)\(edit.path)"
                    AtomicFile.makeDirectories(fs.resolve(String(backup[..<backup.lastIndex(of: "/")!])))
                    do { try AtomicFile.write(old, to: fs.resolve(backup)) } catch {
                        outcome.lines.append("could not keep a copy of \(edit.path): \(error); nothing written")
                        outcome.failed = true
                        return outcome
                    }
                    entry.backup = backup
                }
                record.entries.append(entry)
                saveRecord(record)
            }
            if write(edit, &outcome) == false { return outcome }
        }
        run(plan.commands, &outcome)
        return outcome
    }

    /// The edits that put every file sriovctl touched back as it was.
    public func undoPlan() -> HostPrepPlan {
        let record = loadRecord()
        var edits: [FileEdit] = []
        for entry in record.entries {
            let current = fs.readBytes(entry.path).map { String(decoding: $0, as: UTF8.self) }
            let original = entry.backup.flatMap { fs.readBytes($0) }.map { String(decoding: $0, as: UTF8.self) }
            let target = entry.existed ? original : nil
            if current != target { edits.append(FileEdit(path: entry.path, old: current, new: target)) }
        }
        var commands: [[String]] = []
        if edits.contains(where: { $0.path == HostPrep.grubDropIn || $0.path == "/etc/default/grub" }) { commands.append(["update-grub"]) }
        if edits.contains(where: { $0.path == HostPrep.kernelCmdline }) { commands.append(["proxmox-boot-tool", "refresh"]) }
        if edits.contains(where: { $0.path == HostPrep.initramfsModules || $0.path.hasPrefix(HostPrep.linkDirectory) }) {
            commands.append(["update-initramfs", "-u", "-k", "all"])
        }
        return HostPrepPlan(edits: edits, commands: commands,
                            notes: edits.isEmpty ? ["nothing to undo"] : ["reboot to boot without the changes"])
    }

    public func undo(_ plan: HostPrepPlan) -> Outcome {
        var outcome = Outcome()
        for edit in plan.edits where write(edit, &outcome) == false { return outcome }
        run(plan.commands, &outcome)
        if !outcome.failed {
            unlink(fs.resolve(Self.record))
            for edit in plan.edits { unlink(fs.resolve("\(Self.backups)\(edit.path)")) }
        }
        return outcome
    }

    private func write(_ edit: FileEdit, _ outcome: inout Outcome) -> Bool {
        do {
            if let new = edit.new {
                AtomicFile.makeDirectories(fs.resolve(String(edit.path[..<edit.path.lastIndex(of: "/")!])))
                try AtomicFile.write(new, to: fs.resolve(edit.path))
                outcome.lines.append("wrote \(edit.path)")
            } else if unlink(fs.resolve(edit.path)) == 0 || errno == ENOENT {
                outcome.lines.append("removed \(edit.path)")
            } else {
                throw SysfsWriteError(path: edit.path, value: "(remove)", errno: errno)
            }
            return true
        } catch {
            outcome.lines.append("could not write \(edit.path): \(error)")
            outcome.failed = true
            return false
        }
    }

    private func run(_ commands: [[String]], _ outcome: inout Outcome) {
        for argv in commands {
            do {
                let result = try runner.run(argv)
                outcome.lines.append("ran \(argv.joined(separator: " ")): exit \(result.status)")
                if result.status != 0 {
                    outcome.failed = true
                    let tail = (result.errorOutput + result.output).split(separator: "\n").suffix(5).joined(separator: "\n    ")
                    outcome.lines.append("    \(tail)")
                }
            } catch {
                outcome.lines.append("\(error)")
                outcome.failed = true
            }
        }
    }

    private func loadRecord() -> Record {
        guard let bytes = fs.readBytes(Self.record), let record = try? JSONDecoder().decode(Record.self, from: Data(bytes)) else {
            return Record()
        }
        return record
    }

    private func saveRecord(_ record: Record) {
        AtomicFile.makeDirectories(fs.resolve("/var/lib/sriovctl"))
        if let data = try? JSONEncoder().encode(record) {
            try? AtomicFile.write(String(decoding: data, as: UTF8.self), to: fs.resolve(Self.record))
        }
    }
}

#if canImport(Glibc)
import Glibc
#endif
