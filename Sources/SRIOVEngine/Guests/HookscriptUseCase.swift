import SRIOVCore
import SRIOVHost

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// `sriovctl hookscript install` and `remove`: the guest hookscript in a snippets storage,
/// attached with `qm set VMID --hookscript` to every VM the config gives VFs (and, with
/// `sync-bridge-fdb`, every VM bridged over such a PF). A VM that has a hookscript of its own keeps
/// it: sriovctl's script runs it (chained), and `remove` gives it back.
public enum HookscriptUseCase {
    public struct Request: Sendable {
        public var storage: String
        public var storagePath: String
        /// The sriovctl the script runs.
        public var binary: String

        public init(storage: String, storagePath: String, binary: String) {
            self.storage = storage
            self.storagePath = storagePath
            self.binary = binary
        }
    }

    public static func install(_ request: Request, on selection: HostSelection) throws -> ChangeReport {
        var host = try selection.open()
        guard host.proxmox.isProxmox else {
            throw EngineError.invalidInput("\(host.kind.label) is not Proxmox VE (no /etc/pve): hookscripts are a Proxmox feature")
        }
        let config = try ConfigFile.load(selection.configPath)
        let configOnHost = selection.configPathOnHost
        for (option, path) in [("--config", configOnHost), ("--binary", request.binary), ("--storage-path", request.storagePath)]
        where !BootUnits.isPlainPath(path) {
            throw EngineError.invalidInput(
                "\(option) \(path.debugDescription): a script names it, so give an absolute path of letters, digits and - _ . / + @ : only")
        }
        guard ProxmoxCommands.isPlainName(request.storage) else {
            throw EngineError.invalidInput("--storage \(request.storage.debugDescription): give a Proxmox storage id (letters, digits, - _ .)")
        }
        let path = "\(request.storagePath)/\(Hookscript.fileName)"
        let volume = "\(request.storage):snippets/\(Hookscript.fileName)"
        var record = try loadRecord(host.files) ?? HookscriptRecord(volume: volume, path: path)
        if record.volume != volume || record.path != path {
            throw EngineError.invalidInput(
                "the hookscript is installed as \(record.volume) (\(record.path)); run `sriovctl hookscript remove` first to move it to \(volume)")
        }
        var report = ChangeReport()
        var vms = Set(config.pfs.flatMap { pf in pf.vfs.values.compactMap(\.vm) + [pf.defaults.vm].compactMap { $0 } })
        vms.formUnion(try bridgedGuests(config, host: host).map(\.0))
        let guests = Dictionary(host.proxmox.guests().map { ($0.vmid, $0) }, uniquingKeysWith: { a, _ in a })
        var attach: [Int] = []
        for vm in vms.sorted() {
            guard let guest = guests[vm] else {
                report.lines.append("VM \(vm) does not exist on this node: not attached")
                continue
            }
            if let own = guest.hookscript, own != volume {
                // Chained: its own script keeps running, from sriovctl's, and comes back on remove.
                guard HookscriptRecord.isVolume(own), let ownPath = Self.path(of: own, request: request, host: host) else {
                    report.lines.append(
                        "VM \(vm) has its own hookscript \(own.echoed()), whose file sriovctl cannot find (`pvesm path \(own.echoed())`): not attached, its hookscript left as it is"
                    )
                    continue
                }
                record.chained[String(vm)] = .init(volume: own, path: ownPath)
                report.lines.append("VM \(vm) keeps its own hookscript \(own): sriovctl's runs it first (`sriovctl hookscript remove` puts it back)")
            }
            if guest.hookscript != volume { attach.append(vm) }
        }
        let text = Hookscript.text(binary: request.binary, config: configOnHost, chained: chainedPaths(record))
        guard report.perform(.writeFile(path: path, text: text, mode: 0o755), on: &host) else { return report }
        if host.files.readText(path).map({ $0 + "\n" }) != text {
            report.lines.append("\(path) does not read back as written")
            report.failed = true
            return report
        }
        // The record before qm: a guest attached is always one `remove` knows.
        guard save(record, on: &host, report: &report) else { return report }
        for vm in attach { report.perform(.run(ProxmoxCommands.hookscript(vm: vm, volume: volume)), on: &host) }
        if vms.isEmpty { report.lines.append("no VM in the config has `vm =`; attach it yourself: qm set VMID --hookscript \(volume)") }
        try host.save()
        return report
    }

    /// Detaches sriovctl's hookscript from `vm` (or every guest): a guest whose own hookscript it
    /// chained gets that back, the others none; the script is deleted once no guest has it.
    public static func remove(vm: Int?, on selection: HostSelection) throws -> ChangeReport {
        var host = try selection.open()
        guard host.proxmox.isProxmox else {
            throw EngineError.invalidInput("\(host.kind.label) is not Proxmox VE (no /etc/pve): hookscripts are a Proxmox feature")
        }
        var report = ChangeReport()
        let found = try loadRecord(host.files)
        let volume = found?.volume ?? "local:snippets/\(Hookscript.fileName)"
        var record = found ?? HookscriptRecord(volume: volume, path: "/var/lib/vz/snippets/\(Hookscript.fileName)")
        let guests = host.proxmox.guests()
        if let vm, !guests.contains(where: { $0.vmid == vm }) {
            throw EngineError.invalidInput("VM \(vm) does not exist on this node (no /etc/pve/qemu-server/\(vm).conf)")
        }
        let ours = guests.filter { $0.hookscript == volume && (vm == nil || $0.vmid == vm) }.map(\.vmid)
        for id in ours {
            if let own = record.chained[String(id)] {
                guard report.perform(.run(ProxmoxCommands.hookscript(vm: id, volume: own.volume)), on: &host) else { continue }
                report.lines.append("VM \(id) has its own hookscript \(own.volume) again")
            } else {
                guard report.perform(.run(["qm", "set", "\(id)", "--delete", "hookscript"]), on: &host) else { continue }
            }
            record.chained[String(id)] = nil
        }
        if vm == nil {
            for stale in record.chained.keys where !ours.contains(Int(stale) ?? -1) { record.chained[stale] = nil }
        }
        if ours.isEmpty { report.lines.append(vm.map { "VM \($0) does not have sriovctl's hookscript" } ?? "no guest has sriovctl's hookscript") }
        let left = host.proxmox.guests().filter { $0.hookscript == volume }
        if report.failed { return report }
        if left.isEmpty || vm == nil {
            if host.files.exists(record.path) { report.perform(.removeFile(path: record.path), on: &host) }
            if host.files.exists(HookscriptRecord.path) { report.perform(.removeFile(path: HookscriptRecord.path), on: &host) }
        } else {
            save(record, on: &host, report: &report)
        }
        try host.save()
        return report
    }

    /// A guest's own hookscript as a path: on the storage sriovctl's script is on, beside it;
    /// elsewhere what Proxmox's `pvesm path` says (nil when that cannot be asked or fails).
    static func path(of volume: String, request: Request, host: some SRIOVHost.Host) -> String? {
        let parts = volume.split(separator: ":", maxSplits: 1)
        if parts.first.map(String.init) == request.storage {
            return "\(request.storagePath)/\(parts[1].dropFirst("snippets/".count))"
        }
        guard let result = host.query(["pvesm", "path", volume]), result.status == 0 else { return nil }
        let path = result.output.trimmingSpaces()
        return BootUnits.isPlainPath(path) ? path : nil
    }

    static func chainedPaths(_ record: HookscriptRecord) -> [Int: String] {
        Dictionary(record.chained.compactMap { key, value in Int(key).map { ($0, value.path) } }, uniquingKeysWith: { a, _ in a })
    }

    /// The record, checked: a corrupt one is refused with its name rather than trusted.
    static func loadRecord(_ files: RootedFileSystem) throws -> HookscriptRecord? {
        let present = files.exists(HookscriptRecord.path)
        try files.escapes.check()  // under --root, a record that is a link out of the tree is an error
        guard present else { return nil }
        guard let bytes = files.readBytes(HookscriptRecord.path, limit: 1 << 20),
            let record = try? JSONDecoder().decode(HookscriptRecord.self, from: Data(bytes))
        else {
            throw EngineError.hostFailed(
                "\(HookscriptRecord.path) is not a hookscript record sriovctl wrote (unreadable or not its JSON); look at it, and remove it if no guest uses sriovctl's hookscript"
            )
        }
        if let problem = record.problem() {
            throw EngineError.hostFailed("\(HookscriptRecord.path) is corrupt: \(problem); look at it before removing it")
        }
        return record
    }

    @discardableResult
    static func save<H: SRIOVHost.Host>(_ record: HookscriptRecord, on host: inout H, report: inout ChangeReport) -> Bool {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        guard let data = try? encoder.encode(record) else { return false }
        return report.perform(.writeFile(HookscriptRecord.path, String(decoding: data, as: UTF8.self) + "\n"), on: &host, quiet: true)
    }

    /// Guests with a network device on a bridge over a PF with `sync-bridge-fdb`, with the
    /// hookscript they have now.
    static func bridgedGuests(_ config: SRIOVConfig, host: some SRIOVHost.Host) throws -> [(Int, String?)] {
        guard config.pfs.contains(where: \.syncBridgeFDB) else { return [] }
        let snapshot = try host.snapshot()
        let desired = try PlanningContext.resolve(config, on: snapshot, proxmox: host.proxmox, allowMissing: true)
        let network = try host.bridgeNetwork()
        let bridges = Set(
            desired.pfs.filter(\.syncBridgeFDB).compactMap(\.current.name).flatMap { name in
                network.bridges(over: name).bridges.compactMap { network.link($0)?.name }
            })
        return host.proxmox.guests().filter { $0.nics.contains { bridges.contains($0.bridge) } }.map { ($0.vmid, $0.hookscript) }
    }
}
