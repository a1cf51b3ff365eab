import ArgumentParser
import SRIOVCore
import SRIOVHost

struct AssignCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "assign",
        abstract: "Proxmox VE: give one VF to a VM now (qm set VMID --hostpciN host=VF).",
        discussion: """
            The one-off form of `vm = VMID` in the config (which `apply` keeps true). PF:VF is the \
            PF's name, PCI address or permanent MAC and the VF index, e.g. enp6s0f0:0. It takes the \
            first free hostpci slot unless --slot is given, refuses a VF that another VM already \
            names unless --force, and goes through Proxmox's own `qm`, never by editing /etc/pve.

            Example: sriovctl assign enp6s0f0:0 --vm 100 --pcie
            """)

    @ParentCommand var sriovctl: SRIOVCtl
    @Argument(help: ArgumentHelp("The VF, as PF:INDEX.", valueName: "pf:vf")) var target: String
    @Option(help: ArgumentHelp("The VM.", valueName: "vmid")) var vm: Int
    @Option(help: ArgumentHelp("The hostpci slot (0-15).", valueName: "n")) var slot: Int?
    @Flag(help: "Attach as a PCIe device (pcie=1, q35 machines).") var pcie = false
    @Flag(help: "Give it even when another VM's config names it.") var force = false

    func validate() throws {
        guard target.contains(":"), Int(target.split(separator: ":").last ?? "") != nil else {
            throw ValidationError("name the VF as PF:INDEX, for example enp6s0f0:0")
        }
        if let slot, !(0...15).contains(slot) { throw ValidationError("--slot must be 0-15") }
        guard vm >= 100 else { throw ValidationError("--vm must be a Proxmox VM id, 100 or more") }
    }

    func run() throws {
        let global = sriovctl.global
        let fs = RootedFileSystem(root: global.root)
        let proxmox = ProxmoxReader(fs: fs)
        guard proxmox.isProxmox else { throw CLIError.invalidInput("this host is not Proxmox VE (no /etc/pve)") }
        let parts = target.split(separator: ":")
        let index = Int(parts.last!)!
        let pfName = parts.dropLast().joined(separator: ":")
        let snapshot = try HostAccess.observer(global).snapshot()
        let pf = try snapshot.select([PFSelector(pfName)])[0]
        guard let vf = pf.vfs.first(where: { $0.index == index }) else {
            throw CLIError.invalidInput("\(pf.displayName) has no VF \(index) (it has \(pf.numVFs); `sriovctl status \(pf.displayName)`)")
        }
        let guests = proxmox.guests()
        guard let guest = guests.first(where: { $0.vmid == vm }) else {
            throw CLIError.invalidInput("VM \(vm) does not exist on this node (no /etc/pve/qemu-server/\(vm).conf)")
        }
        let others = guests.filter { $0.vmid != vm && $0.references.contains { $0.mapping == nil && $0.names(vf.pci) } }
        if !others.isEmpty && !force {
            throw CLIError.hostFailed("\(vf.pci) is already given to \(others.map { "VM \($0.vmid)\($0.running ? " (running)" : "")" }.joined(separator: ", ")); pass --force to give it to VM \(vm) too")
        }
        if let existing = guest.references.first(where: { $0.mapping == nil && $0.names(vf.pci) }), slot == nil || slot == existing.slot,
           existing.pcie == pcie {
            print("VM \(vm) already has \(vf.pci) as hostpci\(existing.slot).")
            return
        }
        let used = Set(guest.references.map(\.slot))
        guard let chosen = slot ?? (0...15).first(where: { !used.contains($0) }) else {
            throw CLIError.hostFailed("VM \(vm) has no free hostpci slot (0-15 are all used)")
        }
        let argv = ["qm", "set", "\(vm)", "--hostpci\(chosen)", "host=\(vf.pci)" + (pcie ? ",pcie=1" : "")]
        let result = try SystemCommandRunner().run(argv)
        guard result.status == 0 else {
            throw CLIError.hostFailed("`\(argv.joined(separator: " "))` exited \(result.status): \(result.errorOutput.trimmingSpaces())")
        }
        print("VM \(vm) hostpci\(chosen) = \(vf.pci) (\(pf.displayName) VF \(index)). Add `vm = \(vm)` to its [[pf.vf]] so apply keeps it.")
    }
}
