import SRIOVCore
import SRIOVEngine
import SRIOVHost

/// A config read and, when valid, resolved and planned against the simulated i350 with Proxmox
/// guests (as `plan` does, and as `apply --guest 100` does): every number and name in it reaches
/// the planner's arithmetic.
enum ConfigHarness {
    /// The host is read once: planning does not change it.
    nonisolated(unsafe) static let host = SimulatedHost(description: FuzzHosts.i350)
    nonisolated(unsafe) static let snapshot = try! host.snapshot(withCounters: false)

    static func run(_ bytes: [UInt8]) -> FuzzTarget.Reached {
        guard let config = try? ConfigReader.read(String(decoding: bytes, as: UTF8.self), path: "fuzz.toml") else { return .refused }
        var reached = FuzzTarget.Reached.parsed
        for allowMissing in [false, true] {
            guard let desired = try? PlanningContext.resolve(config, on: snapshot, proxmox: host.proxmox, allowMissing: allowMissing)
            else { continue }
            _ = Planner.plan(desired).steps.count
            _ = Planner.planForGuest(desired, vm: 100).steps.count
            reached = .used
        }
        return reached
    }
}
