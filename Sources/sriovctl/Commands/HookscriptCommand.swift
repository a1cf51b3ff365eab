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
                """)

        @ParentCommand var sriovctl: SRIOVCtl
        @Option(help: ArgumentHelp("The Proxmox storage with snippets.", valueName: "id")) var storage = "local"
        @Option(help: ArgumentHelp("Its folder on this host.", valueName: "path")) var storagePath = "/var/lib/vz/snippets"
        @Option(help: ArgumentHelp("The sriovctl the script runs (default: this one).", valueName: "path")) var binary: String?
        @Flag(
            help: ArgumentHelp(
                "Also add the guest's VF MACs to the PF's forwarding table at start (`bridge fdb replace MAC dev PF self`), so guests on a Linux bridge over the PF reach it. Off by default."
            ))
        var bridgeFdb = false

        func run() throws {
            let request = HookscriptUseCase.Request(
                storage: storage, storagePath: storagePath, binary: try thisProgram(binary),
                bridgeFDB: bridgeFdb)
            try report(HookscriptUseCase.install(request, on: sriovctl.global.selection))
        }
    }
}
