import ArgumentParser
import SRIOVCore
import SRIOVHost

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
        @OptionGroup var unit: BootCommand.UnitOptions
        @Flag(help: ArgumentHelp(
            "Also add the guest's VF MACs to the PF's forwarding table at start (`bridge fdb replace MAC dev PF self`), so guests on a Linux bridge over the PF reach it. Off by default."))
        var bridgeFdb = false

        func run() throws {
            let global = sriovctl.global
            let fs = RootedFileSystem(root: global.root)
            guard ProxmoxReader(fs: fs).isProxmox else {
                throw CLIError.invalidInput("this host is not Proxmox VE (no /etc/pve): hookscripts are a Proxmox feature")
            }
            let config = try ConfigFile.load(global.configPath)
            _ = try unit.rendered(global)  // validates the config path for a script
            let binary = try unit.binaryPath()
            let path = "\(storagePath)/\(Hookscript.fileName)"
            AtomicFile.makeDirectories(fs.resolve(storagePath))
            try AtomicFile.write(Hookscript.text(binary: binary, config: global.config ?? GlobalOptions.defaultConfig, bridgeFDB: bridgeFdb),
                                 to: fs.resolve(path), mode: 0o755)
            print("wrote \(path)")
            let vms = Set(config.pfs.flatMap { pf in pf.vfs.values.compactMap(\.vm) + [pf.defaults.vm].compactMap { $0 } }).sorted()
            var failed = false
            for vm in vms {
                let argv = ["qm", "set", "\(vm)", "--hookscript", "\(storage):snippets/\(Hookscript.fileName)"]
                let result = try SystemCommandRunner().run(argv)
                print("ran \(argv.joined(separator: " ")): exit \(result.status)\(result.status == 0 ? "" : ": \(result.errorOutput.trimmingSpaces())")")
                failed = failed || result.status != 0
            }
            if vms.isEmpty { print("no VM in the config has `vm =`; attach it yourself: qm set VMID --hookscript \(storage):snippets/\(Hookscript.fileName)") }
            if failed { throw ExitCode(ExitStatus.hostFailed.rawValue) }
        }
    }
}
