import SRIOVCore
import SRIOVHost

/// `sriovctl hookscript install`: the guest hookscript in a snippets storage, attached with
/// `qm set VMID --hookscript` to every VM the config gives VFs.
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
        let text = Hookscript.text(binary: request.binary, config: configOnHost)
        var report = ChangeReport()
        guard report.perform(.writeFile(path: path, text: text, mode: 0o755), on: &host) else { return report }
        if host.files.readText(path).map({ $0 + "\n" }) != text {
            report.lines.append("\(path) does not read back as written")
            report.failed = true
            return report
        }
        let volume = "\(request.storage):snippets/\(Hookscript.fileName)"
        var vms = Set(config.pfs.flatMap { pf in pf.vfs.values.compactMap(\.vm) + [pf.defaults.vm].compactMap { $0 } })
        for (vm, own) in try bridgedGuests(config, host: host) {
            if let own, own != volume {
                report.lines.append(
                    "VM \(vm) has its own hookscript \(own.echoed()): not replaced. Its MACs reach the PF's table when `sriovctl watch` sees its first frame (or at the next apply)."
                )
            } else {
                vms.insert(vm)
            }
        }
        for vm in vms.sorted() { report.perform(.run(ProxmoxCommands.hookscript(vm: vm, volume: volume)), on: &host) }
        if vms.isEmpty { report.lines.append("no VM in the config has `vm =`; attach it yourself: qm set VMID --hookscript \(volume)") }
        try host.save()
        return report
    }

    /// Guests with a network device on a bridge over a PF with `sync-bridge-fdb`, with the
    /// hookscript they have now.
    static func bridgedGuests(_ config: SRIOVConfig, host: some Host) throws -> [(Int, String?)] {
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
