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
        if !RootedFileSystem().exists(path) {
            facts.configMissing = true
        } else {
            do {
                let config = try ConfigFile.load(path)
                if let snapshot = facts.snapshot {
                    let desired = try PlanningContext.resolve(config, on: snapshot, proxmox: host.proxmox, allowMissing: false)
                    facts.pendingChanges = Planner.plan(desired).steps.count
                }
            } catch {
                facts.configProblem = error.diagnostics.map(\.description).joined(separator: "\n")
            }
        }
        let others = TakeOver.scan(host)
        try host.files.escapes.check()
        return Doctor.check(facts) + Doctor.otherManagers(others)
    }
}
