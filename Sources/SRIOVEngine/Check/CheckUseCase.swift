import SRIOVCore
import SRIOVHost

/// `sriovctl check`: the facts of the selected host (this machine, a host tree, or the simulated
/// host), the config read and planned against it, judged by the doctor. Changes nothing.
public enum CheckUseCase {
    public static func run(on selection: HostSelection) throws -> [CheckResult] {
        let host = try selection.open()
        var facts = host.facts()
        let path = selection.configPath
        facts.configPath = path
        facts.capabilities = CapabilityStore(files: host.files).loadIfSound()
        var forwarding: [Doctor.ForwardingFact] = []
        var roleWarnings: [CheckResult] = []
        if !RootedFileSystem().exists(path) {
            facts.configMissing = true
        } else {
            do {
                let config = try ConfigFile.load(path)
                if let snapshot = facts.snapshot {
                    let desired = try PlanningContext.resolve(
                        config, on: snapshot, proxmox: host.proxmox, allowMissing: false,
                        capabilities: facts.capabilities)
                    roleWarnings = Doctor.roles(desired.roleNotes)
                    facts.pendingChanges = Planner.plan(desired).steps.count
                    forwarding = forwardingFacts(desired, snapshot: snapshot, host: host)
                }
            } catch {
                facts.configProblem = error.diagnostics.map(\.description).joined(separator: "\n")
            }
        }
        let others = TakeOver.scan(host)
        try host.files.escapes.check()
        return Doctor.check(facts) + roleWarnings + Doctor.bridgeFDB(forwarding) + Doctor.otherManagers(others)
    }

    /// Each PF with `sync-bridge-fdb`: its bridges and what its table lacks (nothing is read
    /// when no PF has the key).
    static func forwardingFacts(_ desired: DesiredHost, snapshot: HostSnapshot, host: some Host) -> [Doctor.ForwardingFact] {
        let pfs = desired.pfs.filter(\.syncBridgeFDB)
        guard !pfs.isEmpty else { return [] }
        do {
            let network = try host.bridgeNetwork()
            let record = try ForwardingPlanning.readRecord(host.files)
            return pfs.compactMap { pf in
                guard let name = pf.current.name else { return nil }
                let vfMACs = Set(pf.current.vfs.compactMap(\.settings.mac) + pf.vfs.compactMap(\.settings.mac))
                let devices = ForwardingPlanning.guestDevices(host.proxmox, event: nil)
                return .init(
                    pf: name,
                    sync: ForwardingSync.plan(
                        pf: name, pfMAC: pf.current.mac, vfMACs: vfMACs, enabled: true, network: network, guests: devices,
                        recorded: record.macs(of: name)))
            }
        } catch {
            let message = EngineError.classify(error)?.message ?? "\(error)"
            return pfs.compactMap { $0.current.name }.map { .init(pf: $0, sync: nil, problem: message) }
        }
    }
}
