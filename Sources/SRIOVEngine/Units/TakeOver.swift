import SRIOVCore
import SRIOVHost

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Other SR-IOV managers and sriovctl's boot units: found (`check`), refused at `boot enable`,
/// retired reversibly with `--take-over`, put back with `boot disable --restore`.
public enum TakeOver {
    /// The other managers on the selected host.
    public static func scan(_ host: some Host) -> [OtherManager] {
        OtherManagerScan.scan(OtherManagerFilesReader.read(host.files))
    }

    /// Those that would fight sriovctl at boot.
    public static func fighting(_ found: [OtherManager]) -> [OtherManager] { found.filter(\.active) }

    /// The refusal of `boot enable` without `--take-over`, naming each one.
    public static func refusal(_ fighting: [OtherManager]) -> EngineError {
        let lines = fighting.map { "  \($0.place): \($0.kind.rawValue) \($0.name) sets \($0.sets.joined(separator: "; ")). \($0.atBoot)" }
        return .invalidInput(
            "another SR-IOV manager would fight sriovctl at every boot:\n" + lines.joined(separator: "\n")
                + "\nGive --take-over to retire \(fighting.count == 1 ? "it" : "them") (each shown first and backed up; `boot disable --restore` puts \(fighting.count == 1 ? "it" : "them") back), or remove \(fighting.count == 1 ? "it" : "them") yourself."
        )
    }

    /// Retires each fighting manager on `host`: units disabled, lines commented out, files moved
    /// aside, each edit shown as a diff first and its original backed up; NetworkManager and
    /// netplan are only reported with the command to run. Adds to the record.
    public static func retire<H: Host>(_ fighting: [OtherManager], on host: inout H, report: inout ChangeReport) {
        guard var record = checkedRecord(host.files, report: &report) else { return }
        for manager in fighting {
            let files = host.files
            switch manager.retirement {
            case let .disableUnit(unit):
                report.lines.append("take over \(manager.place): disable \(unit) (the file stays)")
                guard report.perform(.run(["systemctl", "disable", unit]), on: &host) else { continue }
                record.entries.append(.init(kind: .unit, path: manager.file, unit: unit))
            // Edited files keep their mode and owner (atomic replace); backups are private.
            case let .commentOut(lines):
                guard let old = exactText(files, manager.file) else { continue }
                let new = TakeOverRecord.commentingOut(lines, in: old)
                report.lines.append(UnifiedDiff.make(path: manager.file, old: old, new: new))
                guard report.perform(.writeFile(path: TakeOverRecord.backupPath(of: manager.file), text: old, mode: 0o600), on: &host),
                    report.perform(.writeFile(path: manager.file, text: new, mode: 0o644), on: &host)
                else { continue }
                record.entries.append(.init(kind: .lines, path: manager.file, lines: lines))
            case .moveAside:
                guard let old = exactText(files, manager.file) else { continue }
                let moved = manager.file + TakeOverRecord.movedSuffix
                report.lines.append("take over \(manager.place): move \(manager.file) to \(moved) (its tool no longer reads it)")
                guard report.perform(.writeFile(path: TakeOverRecord.backupPath(of: manager.file), text: old, mode: 0o600), on: &host),
                    report.perform(.writeFile(path: moved, text: old, mode: 0o644), on: &host),
                    report.perform(.removeFile(path: manager.file), on: &host)
                else { continue }
                record.entries.append(.init(kind: .moved, path: manager.file))
            case let .tellUser(command):
                report.lines.append(
                    "not edited: \(manager.place) (\(manager.kind.rawValue)) still sets \(manager.sets.joined(separator: "; ")); run: \(command)")
            }
        }
        refreshInitramfs(for: record, on: &host, report: &report)
        save(record, on: &host, report: &report)
    }

    /// Puts back everything the record says was retired, newest first, and forgets the record.
    public static func restore<H: Host>(on host: inout H, report: inout ChangeReport) {
        guard let record = checkedRecord(host.files, report: &report) else { return }
        guard !record.entries.isEmpty else {
            report.lines.append("nothing to restore: no other SR-IOV manager was retired by --take-over")
            return
        }
        var kept: [TakeOverRecord.Entry] = []
        for entry in record.entries.reversed() {
            let files = host.files
            var done = false
            switch entry.kind {
            case .unit:
                done = report.perform(.run(["systemctl", "enable", entry.unit ?? entry.path]), on: &host)
            case .lines:
                if let text = exactText(files, entry.path) {
                    let back = TakeOverRecord.restoring(text)
                    report.lines.append(UnifiedDiff.make(path: entry.path, old: text, new: back))
                    done = report.perform(.writeFile(path: entry.path, text: back, mode: 0o644), on: &host)
                }
            case .moved:
                let moved = entry.path + TakeOverRecord.movedSuffix
                if let text = exactText(files, moved) {
                    done =
                        report.perform(.writeFile(path: entry.path, text: text, mode: 0o644), on: &host)
                        && report.perform(.removeFile(path: moved), on: &host)
                }
            }
            if done, entry.kind != .unit, host.files.exists(TakeOverRecord.backupPath(of: entry.path)) {
                report.perform(.removeFile(path: TakeOverRecord.backupPath(of: entry.path)), on: &host, quiet: true)
            }
            if !done { kept.insert(entry, at: 0) }
        }
        refreshInitramfs(for: record, on: &host, report: &report)
        save(TakeOverRecord(entries: kept), on: &host, report: &report)
    }

    /// The initramfs carries a copy of modprobe.d: after an edit there (retired or restored) it is
    /// rebuilt, or the driver would still make (or no longer make) VFs at boot.
    static func refreshInitramfs<H: Host>(for record: TakeOverRecord, on host: inout H, report: inout ChangeReport) {
        guard record.entries.contains(where: { $0.kind == .lines && $0.path.hasPrefix("/etc/modprobe.d/") }) else { return }
        report.perform(.run(["update-initramfs", "-u", "-k", "all"]), on: &host)
    }

    /// A file's text exactly (readText trims the end; an edit must keep the last newline).
    static func exactText(_ files: RootedFileSystem, _ path: String) -> String? {
        files.readBytes(path, limit: OtherManagerFilesReader.maximumFileBytes).map { String(decoding: $0, as: UTF8.self) }
    }

    static func load(_ files: RootedFileSystem) -> TakeOverRecord {
        guard let bytes = files.readBytes(TakeOverRecord.path, limit: 1 << 20),
            let record = try? JSONDecoder().decode(TakeOverRecord.self, from: Data(bytes))
        else { return TakeOverRecord() }
        return record
    }

    /// The record, checked before anything acts on it: a corrupt one, or one with entries
    /// `--take-over` never writes (a unit name that is an option, a path outside /etc), fails
    /// the report naming the file, and nothing is done.
    static func checkedRecord(_ files: RootedFileSystem, report: inout ChangeReport) -> TakeOverRecord? {
        guard files.exists(TakeOverRecord.path) else { return TakeOverRecord() }
        guard let bytes = files.readBytes(TakeOverRecord.path, limit: 1 << 20),
            let record = try? JSONDecoder().decode(TakeOverRecord.self, from: Data(bytes))
        else {
            report.lines.append(
                "\(TakeOverRecord.path) cannot be read as the record --take-over writes (corrupt, or over 1 MiB): nothing was done; look at it, and at the originals in \(TakeOverRecord.backupFolder)"
            )
            report.failed = true
            return nil
        }
        if let wrong = record.entries.first(where: { !$0.isSound }) {
            report.lines.append(
                "\(TakeOverRecord.path) has an entry --take-over never writes (\(wrong.kind.rawValue) \(wrong.path.echoed()) \((wrong.unit ?? "").echoed())): nothing was done; the record was not written by sriovctl"
            )
            report.failed = true
            return nil
        }
        return record
    }

    static func save<H: Host>(_ record: TakeOverRecord, on host: inout H, report: inout ChangeReport) {
        if record.entries.isEmpty {
            if host.files.exists(TakeOverRecord.path) { report.perform(.removeFile(path: TakeOverRecord.path), on: &host, quiet: true) }
            return
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        guard let data = try? encoder.encode(record) else { return }
        report.perform(.writeFile(TakeOverRecord.path, String(decoding: data, as: UTF8.self) + "\n"), on: &host, quiet: true)
    }
}
