import SRIOVCore
import SRIOVHost

/// `sriovctl assign PF:VF --vm VMID`: one VF given to one Proxmox VM now, through Proxmox's own
/// `qm`, with the same slot choice as `vm =` in the config, then checked by reading the guest again.
public enum AssignUseCase {
    public struct Request: Sendable {
        public var pf: String
        public var index: Int
        public var vm: Int
        public var slot: Int?
        /// nil: keep an existing line's `pcie` (none on a new line).
        public var pcie: Bool?
        public var force: Bool

        public init(pf: String, index: Int, vm: Int, slot: Int?, pcie: Bool?, force: Bool) {
            self.pf = pf
            self.index = index
            self.vm = vm
            self.slot = slot
            self.pcie = pcie
            self.force = force
        }
    }

    public struct Outcome: Sendable {
        public var lines: [String]
        /// The program that would have run, under `--root`.
        public var recorded: [[String]]
    }

    public static func run(_ request: Request, on selection: HostSelection) throws -> Outcome {
        var host = try selection.open()
        let proxmox = host.proxmox
        guard proxmox.isProxmox else {
            throw EngineError.invalidInput("\(host.kind.label) is not Proxmox VE (no /etc/pve): assign gives VFs to Proxmox VMs")
        }
        let snapshot = try host.snapshot()
        let pf = try snapshot.select([PFSelector(request.pf)])[0]
        guard let vf = pf.vfs.first(where: { $0.index == request.index }) else {
            throw EngineError.invalidInput("\(pf.displayName) has no VF \(request.index) (it has \(pf.numVFs); `sriovctl status \(pf.displayName)`)")
        }
        let guests = proxmox.guests()
        guard guests.contains(where: { $0.vmid == request.vm }) else {
            throw EngineError.invalidInput("VM \(request.vm) does not exist on this node (no /etc/pve/qemu-server/\(request.vm).conf)")
        }
        let others = guests.filter { $0.vmid != request.vm && $0.references.contains { $0.mapping == nil && $0.names(vf.pci) } }
        if !others.isEmpty && !request.force {
            throw EngineError.hostFailed(
                "\(vf.pci) is already given to \(others.map { "VM \($0.vmid)\($0.running ? " (running)" : "")" }.joined(separator: ", ")); pass --force to give it to VM \(request.vm) too"
            )
        }
        if let slot = request.slot, !request.force,
            let held = guests.first(where: { $0.vmid == request.vm })?.nextStartReferences.first(where: { $0.slot == slot }),
            held.mapping != nil || !held.names(vf.pci)
        {
            throw EngineError.hostFailed(
                "VM \(request.vm) hostpci\(slot) already holds another device (\(held.mapping.map { "mapping=\($0)" } ?? held.hosts.joined(separator: ";"))); choose a free slot, leave --slot out, or pass --force to replace it"
            )
        }
        let wanted = GuestAssignment(vm: request.vm, slot: request.slot, pcie: request.pcie)
        let (step, noFreeSlot) = Planner.assignment(of: vf, on: pf, as: wanted, guests: guests)
        if noFreeSlot { throw EngineError.hostFailed("VM \(request.vm) has no free hostpci slot (0-15 are all used)") }
        guard let step, case let .assignToVM(_, _, slot, _, _, _, _) = step.action else {
            let existing = guests.first { $0.vmid == request.vm }?.references.first { $0.names(vf.pci) }
            return Outcome(lines: ["VM \(request.vm) already has \(vf.pci) as hostpci\(existing?.slot ?? 0)."], recorded: [])
        }
        try perform(step, on: &host)
        let recorded = host.takeRecordedCommands()
        try host.save()
        let what = "hostpci\(slot) = \(vf.pci) (\(pf.displayName) VF \(request.index))"
        let keep = "Add `vm = \(request.vm)` to its [[pf.vf]] so apply keeps it."
        if !recorded.isEmpty {
            return Outcome(
                lines: recorded.map { "would run: \(HostChange.run($0).summary) (--root: recorded, not run)" }
                    + ["VM \(request.vm) would get \(what). \(keep)"], recorded: recorded)
        }
        // Verified: the guest, read again, names the VF in that slot (in `[PENDING]` for a running
        // guest: Proxmox gives it at the next start).
        let after = host.proxmox.guests().first { $0.vmid == request.vm }
        guard after?.nextStartReferences.contains(where: { $0.slot == slot && $0.names(vf.pci) }) == true else {
            throw EngineError.hostFailed(
                "qm reported success, but VM \(request.vm)'s config does not show \(what); look at `qm config \(request.vm)`")
        }
        let pending =
            after?.running == true
            ? " It takes effect when VM \(request.vm) next starts (it is running; `qm config \(request.vm) --current 0` shows it pending)." : ""
        return Outcome(lines: ["VM \(request.vm) \(what).\(pending) \(keep)"], recorded: [])
    }

    private static func perform<H: Host>(_ step: Plan.Step, on host: inout H) throws {
        try host.perform(step)
    }
}
