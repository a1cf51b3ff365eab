import ArgumentParser
import SRIOVCore
import SRIOVEngine

struct HookscriptCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hookscript",
        abstract: "Proxmox VE: the guest hookscript that re-asserts a guest's VF settings at every start.",
        subcommands: [Install.self, Remove.self])

    struct Install: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "install",
            abstract: "Put the hookscript in a snippets storage and attach it to every VM the config gives VFs.",
            discussion: """
                Writes STORAGE-PATH/sriovctl-hook.sh (default /var/lib/vz/snippets, the `local` \
                storage; the storage needs the `snippets` content type) and runs \
                `qm set VMID --hookscript STORAGE:snippets/sriovctl-hook.sh` for each VM named by \
                `vm =` in the config. At pre-start the script runs `sriovctl apply --guest VMID`, which \
                sets only that VM's VF settings (MAC, VLAN, trust, spoof check, rates) and nothing else.

                With `sync-bridge-fdb = true` on a PF, the script is also attached to VMs with a network \
                device on a bridge over that PF: at pre-start their MACs go into the PF's forwarding table \
                before their first frame, at post-stop they leave it.

                A VM has one hookscript. When it already has its own, sriovctl's script runs that one \
                first with the same arguments, and a failure of it at pre-start still stops the start; \
                `sriovctl hookscript remove` gives it back. What was chained is kept in \
                /var/lib/sriovctl/hookscript.json. If sriovctl is removed, the script lets guests start \
                and says in the task log that VF settings were not re-asserted.
                """)

        @ParentCommand var sriovctl: SRIOVCtl
        @Option(help: ArgumentHelp("The Proxmox storage with snippets.", valueName: "id")) var storage = "local"
        @Option(help: ArgumentHelp("Its folder on this host.", valueName: "path")) var storagePath = "/var/lib/vz/snippets"
        @Option(help: ArgumentHelp("The sriovctl the script runs (default: this one).", valueName: "path")) var binary: String?
        /// Gone: see `ApplyCommand.bridgeFDBGone`.
        @Flag(help: .hidden) var bridgeFdb = false

        func validate() throws {
            if bridgeFdb { throw ValidationError(ApplyCommand.bridgeFDBGone) }
        }

        func run() throws {
            let request = HookscriptUseCase.Request(storage: storage, storagePath: storagePath, binary: try thisProgram(binary))
            try report(HookscriptUseCase.install(request, on: sriovctl.global.selection))
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "remove",
            abstract: "Detach sriovctl's hookscript from every VM (or one), giving back any hookscript it chained.",
            discussion: """
                Runs `qm set VMID --delete hookscript` for each VM that has sriovctl's hookscript, or \
                `qm set VMID --hookscript ITS-OWN` for a VM whose own hookscript sriovctl's was running, \
                then deletes the script once no VM uses it. The VFs and the config are left alone. \
                The package runs this when it is removed.

                Example: sriovctl hookscript remove --vm 101
                """)

        @ParentCommand var sriovctl: SRIOVCtl
        @Option(help: ArgumentHelp("Only this VM.", valueName: "vmid"), completion: ShellCompletions.guest) var vm: Int?

        func validate() throws {
            if let vm, !(100...999_999_999).contains(vm) { throw ValidationError("--vm \(vm): a Proxmox VM id is 100-999999999") }
        }

        func run() throws {
            try report(HookscriptUseCase.remove(vm: vm, on: sriovctl.global.selection))
        }
    }
}
