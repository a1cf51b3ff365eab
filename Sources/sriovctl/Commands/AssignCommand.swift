import ArgumentParser
import SRIOVEngine

struct AssignCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "assign",
        abstract: "Proxmox VE: give one VF to a VM now (qm set VMID --hostpciN host=VF).",
        discussion: """
            The one-off form of `vm = VMID` in the config (which `apply` keeps true). PF:VF is the \
            PF's name, PCI address or permanent MAC and the VF index, e.g. enp6s0f0:0. It takes the \
            first free hostpci slot unless --slot is given, refuses a VF that another VM already \
            names unless --force, goes through Proxmox's own `qm`, never by editing /etc/pve, and \
            reads the guest's config again to check the result. Under --root it only says what \
            would run.

            Example: sriovctl assign enp6s0f0:0 --vm 100 --pcie
            """)

    @ParentCommand var sriovctl: SRIOVCtl
    @Argument(help: ArgumentHelp("The VF, as PF:INDEX.", valueName: "pf:vf"), completion: ShellCompletions.vf, transform: VFTarget.parse)
    var target: VFTarget
    @Option(help: ArgumentHelp("The VM.", valueName: "vmid"), completion: ShellCompletions.guest) var vm: Int
    @Option(help: ArgumentHelp("The hostpci slot (0-15).", valueName: "n")) var slot: Int?
    @Flag(
        inversion: .prefixedNo,
        help: "Attach as a PCIe device (pcie=1, q35 machines); --no-pcie removes it. Without either, a line that already gives the VF keeps its pcie."
    )
    var pcie: Bool?
    @Flag(help: "Give it even when another VM's config names it.") var force = false

    func validate() throws {
        if let slot, !(0...15).contains(slot) { throw ValidationError("--slot must be 0-15") }
        guard (100...999_999_999).contains(vm) else { throw ValidationError("--vm must be a Proxmox VM id, 100 or more") }
    }

    func run() throws {
        let request = AssignUseCase.Request(
            pf: target.pf, index: target.index, vm: vm,
            slot: slot, pcie: pcie, force: force)
        try AssignUseCase.run(request, on: sriovctl.global.selection).lines.forEach { print($0) }
    }
}
