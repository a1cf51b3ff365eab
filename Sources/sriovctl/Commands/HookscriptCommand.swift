import ArgumentParser
import SRIOVCore
import SRIOVEngine

struct HookscriptCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hookscript",
        abstract: "Proxmox VE: the guest hookscript that re-asserts a guest's VF settings at every start.",
        subcommands: [Install.self])

    struct Install: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Put the hookscript in a snippets storage and attach it to every VM the config gives VFs.",
            discussion: """
                Writes STORAGE-PATH/sriovctl-hook.sh (default /var/lib/vz/snippets, the `local` \
                storage; the storage needs the `snippets` content type) and runs \
                `qm set VMID --hookscript STORAGE:snippets/sriovctl-hook.sh` for each VM named by \
                `vm =` in the config. At pre-start the script runs `sriovctl apply --guest VMID`, which \
                sets only that VM's VF settings (MAC, VLAN, trust, spoof check, rates) and nothing else.

                With `sync-bridge-fdb = true` on a PF, the script is also attached to VMs with a network \
                device on a bridge over that PF (when they have no hookscript of their own): at pre-start \
                their MACs go into the PF's forwarding table before their first frame, at post-stop they \
                leave it.
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
}
