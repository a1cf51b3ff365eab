import SRIOVCore
import SRIOVHost

/// `sriovctl why VMID`: reads the guest, the host (with counters), the config and the bridges,
/// and asks the core what explains the guest's lost connectivity. Changes nothing.
public enum WhyUseCase {
    public struct Outcome: Sendable {
        public var vmid: Int
        public var running: Bool
        public var devices: [String]
        public var findings: [GuestDiagnosis.Finding]
        /// Why the config was not used, when it was not.
        public var configNote: String?
    }

    public static func run(vmid: Int, on selection: HostSelection) throws -> Outcome {
        let host = try selection.open()
        let proxmox = host.proxmox
        guard proxmox.isProxmox else {
            throw EngineError.invalidInput("why needs Proxmox VE, and this host has no /etc/pve")
        }
        let guests = proxmox.guests()
        guard let guest = guests.first(where: { $0.vmid == vmid }) else {
            throw EngineError.invalidInput(
                "VM \(vmid) does not exist on this node (no /etc/pve/qemu-server/\(vmid).conf); `qm list` shows the guests here")
        }
        let snapshot = try host.snapshot(withCounters: true)
        var desired: DesiredHost?
        var configNote: String?
        let path = selection.configPath
        if RootedFileSystem().exists(path) {
            do {
                let config = try ConfigFile.load(path)
                desired = try PlanningContext.resolve(
                    config, on: snapshot, proxmox: proxmox, allowMissing: true, guests: guests,
                    capabilities: CapabilityStore(files: host.files).loadIfSound())
            } catch {
                configNote = "the config \(path) was not used: \(EngineError.classify(error)?.message ?? "\(error)")"
            }
        } else {
            configNote = "no config at \(path): settings are not compared with one"
        }
        let mappings = proxmox.mappings()
        let result = GuestDiagnosis.diagnose(
            .init(
                guest: guest, snapshot: snapshot, desired: desired, mappings: mappings, node: proxmox.node, devices: host.pciDevices(),
                bridges: try? host.bridgeNetwork()))
        try host.files.escapes.check()
        return Outcome(vmid: vmid, running: guest.running, devices: result.devices, findings: result.findings, configNote: configNote)
    }
}
