import SRIOVCore
import SRIOVHost

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// `sriovctl host prepare`: the kernel command line, vfio modules and initramfs, planned from the
/// host's facts and files, carried out as host changes (atomic writes, the originals kept for
/// `--undo`, then update-grub / proxmox-boot-tool refresh / update-initramfs).
public enum HostPreparation {
    public static let record = "/var/lib/sriovctl/host-prepare.json"
    public static let backups = "/var/lib/sriovctl/backup"

    /// What `host prepare` changed, so `--undo` can put it back: per file, whether it existed.
    struct Record: Codable {
        struct Entry: Codable {
            var path: String
            var existed: Bool
            var backup: String?
        }
        var entries: [Entry] = []
    }

    /// The edits and commands that prepare this host (or, with `assignBusses`, also renumber buses).
    public static func plan(on selection: HostSelection, assignBusses: Bool) throws -> HostPrepPlan {
        let host = try selection.open()
        let facts = host.facts()
        let files = host.files
        let prepFiles = HostFactsReader(fs: files, query: { _ in nil }).prepFiles()
        // Under --root, a link that led out of the tree (`proc/cmdline`, `boot/grub/grub.cfg`)
        // is an error, not a fact read from this machine.
        try files.escapes.check()
        return HostPrep.plan(
            HostPrepInput(
                vendor: facts.vendor, kernel: facts.kernel, bootloader: facts.bootloader,
                files: prepFiles,
                assignBusses: assignBusses, interfaces: assignBusses ? host.physicalInterfaces() : [],
                hasPVEPinningTool: files.exists("/usr/sbin/pve-network-interface-pinning") || files.exists("/usr/bin/pve-network-interface-pinning")))
    }

    /// The edits that put every file `host prepare` touched back as it was.
    public static func undoPlan(on selection: HostSelection) throws -> HostPrepPlan {
        let host = try selection.open()
        let files = host.files
        var edits: [FileEdit] = []
        var kept: [String] = []
        let entries = try loadRecord(files).entries
        try files.escapes.check()
        for entry in entries {
            let current = files.readBytes(entry.path).map { String(decoding: $0, as: UTF8.self) }
            let original = entry.backup.flatMap { files.readBytes($0) }.map { String(decoding: $0, as: UTF8.self) }
            // A file that existed before comes back only from its copy: without one (missing,
            // unreadable, too large) it is left as it is, never deleted.
            if entry.existed && original == nil {
                kept.append(
                    "\(entry.path): its original copy \(entry.backup ?? "(none)") cannot be read, so it is left as it is; put it back by hand")
                continue
            }
            let target = entry.existed ? original : nil
            if current != target { edits.append(FileEdit(path: entry.path, old: current, new: target)) }
        }
        var commands: [[String]] = []
        if edits.contains(where: { $0.path == HostPrep.grubDropIn || $0.path == "/etc/default/grub" }) { commands.append(["update-grub"]) }
        if edits.contains(where: { $0.path == HostPrep.kernelCmdline }) { commands.append(["proxmox-boot-tool", "refresh"]) }
        if edits.contains(where: { $0.path == HostPrep.initramfsModules || $0.path.hasPrefix(HostPrep.linkDirectory) }) {
            commands.append(["update-initramfs", "-u", "-k", "all"])
        }
        return HostPrepPlan(
            edits: edits, commands: commands,
            notes: kept + (edits.isEmpty ? ["nothing to undo"] : ["reboot to boot without the changes"]))
    }

    /// Whether `path` is a file `host prepare` writes, and `backup` where it keeps that file's
    /// original: a record naming anything else was not written by sriovctl and is not trusted.
    static func isOwnEntry(path: String, backup: String?) -> Bool {
        let fixed = [HostPrep.grubDropIn, "/etc/default/grub", HostPrep.modulesLoad, HostPrep.initramfsModules, HostPrep.kernelCmdline]
        let link =
            path.hasPrefix(HostPrep.linkDirectory + "/10-sriovctl-") && path.hasSuffix(".link")
            && !path.dropFirst(HostPrep.linkDirectory.count + 1).contains("/") && !path.contains("..") && path.count <= 200
        guard fixed.contains(path) || link else { return false }
        return backup == nil || backup == "\(backups)\(path)"
    }

    /// Carries out the plan. The first time a file is touched, its original is kept first.
    public static func apply(_ plan: HostPrepPlan, on selection: HostSelection) throws -> ChangeReport {
        var host = try selection.open()
        var report = ChangeReport()
        var record = try loadRecord(host.files)
        for edit in plan.edits {
            if !record.entries.contains(where: { $0.path == edit.path }) {
                var entry = Record.Entry(path: edit.path, existed: edit.old != nil, backup: nil)
                if let old = edit.old {
                    let backup = "\(backups)\(edit.path)"
                    guard report.perform(.writeFile(path: backup, text: old, mode: 0o600), on: &host) else {
                        report.lines.append("could not keep a copy of \(edit.path); nothing written")
                        return report
                    }
                    entry.backup = backup
                }
                record.entries.append(entry)
                guard report.perform(.writeFile(path: Self.record, text: encode(record), mode: 0o600), on: &host) else { return report }
            }
            guard perform(edit, &report, &host) else { return report }
        }
        for argv in plan.commands { guard report.perform(.run(argv), on: &host) else { break } }
        try host.save()
        return report
    }

    /// Puts the files back, runs the refresh commands, then forgets the record and copies.
    public static func undo(_ plan: HostPrepPlan, on selection: HostSelection) throws -> ChangeReport {
        var host = try selection.open()
        var report = ChangeReport()
        for edit in plan.edits { guard perform(edit, &report, &host) else { return report } }
        for argv in plan.commands { guard report.perform(.run(argv), on: &host) else { break } }
        // A file left as it was (its copy unreadable) keeps the record: it still says what to undo.
        if !report.failed && !plan.notes.contains(where: { $0.contains("is left as it is") }) {
            report.perform(.removeFile(path: record), on: &host, quiet: true)
            for edit in plan.edits { report.perform(.removeFile(path: "\(backups)\(edit.path)"), on: &host, quiet: true) }
            report.lines.removeAll { $0.hasPrefix("removed \(backups)") || $0.hasPrefix("removed \(record)") }
        }
        try host.save()
        return report
    }

    private static func perform(_ edit: FileEdit, _ report: inout ChangeReport, _ host: inout any Host) -> Bool {
        report.perform(edit.new.map { .writeFile(edit.path, $0) } ?? .removeFile(path: edit.path), on: &host)
    }

    /// The record `host prepare` left, checked: a corrupt one, or one naming files `host prepare`
    /// never writes, is refused by name rather than undone.
    static func loadRecord(_ files: RootedFileSystem) throws -> Record {
        guard files.exists(record) else { return Record() }
        guard let bytes = files.readBytes(record, limit: 1 << 20), let decoded = try? JSONDecoder().decode(Record.self, from: Data(bytes)) else {
            throw EngineError.hostFailed(
                "\(record) cannot be read as the record `host prepare` writes (corrupt, or over 1 MiB): nothing was undone; look at it, and at the originals in \(backups)"
            )
        }
        if let wrong = decoded.entries.first(where: { !isOwnEntry(path: $0.path, backup: $0.backup) }) {
            throw EngineError.hostFailed(
                "\(record) names \(wrong.path.echoed()) (copy \((wrong.backup ?? "none").echoed())), which `host prepare` never writes: nothing was undone; the record was not written by sriovctl"
            )
        }
        return decoded
    }

    private static func encode(_ record: Record) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return ((try? encoder.encode(record)).map { String(decoding: $0, as: UTF8.self) } ?? "{}") + "\n"
    }
}
