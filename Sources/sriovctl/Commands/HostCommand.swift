import ArgumentParser
import SRIOVCore
import SRIOVEngine

struct HostCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "host",
        abstract: "One-time host set-up for SR-IOV passthrough.",
        subcommands: [Prepare.self])

    struct Prepare: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "prepare",
            abstract: "Kernel command line, vfio modules and initramfs: show the edits, then make them.",
            discussion: """
                Computes what the host needs and shows it as a unified diff first:
                  - IOMMU kernel parameters for this CPU (intel_iommu=on iommu=pt on Intel, \
                iommu=pt on AMD), only those not already there: a drop-in \
                /etc/default/grub.d/sriovctl.cfg for GRUB, or /etc/kernel/cmdline for Proxmox's \
                systemd-boot; then update-grub or proxmox-boot-tool refresh;
                  - vfio modules loaded at every boot (/etc/modules-load.d/sriovctl.conf) and in the \
                initramfs (a marked block in /etc/initramfs-tools/modules); then update-initramfs -u -k all.
                Files are replaced atomically and the originals kept; a second run changes nothing; \
                --undo puts everything back. A reboot is needed afterwards.

                --pci-assign-busses is the last resort when the firmware leaves no bus numbers for \
                VFs (`sriovctl check` says so). It renumbers buses, which can rename network \
                interfaces and cut the host off, so every current interface name is first pinned to \
                its permanent MAC with a systemd .link file (or with Proxmox VE 9's \
                pve-network-interface-pinning when present), and only then is the parameter added.
                """)

        @ParentCommand var sriovctl: SRIOVCtl
        @Flag(help: "Show the edits and commands, change nothing.") var dryRun = false
        @Flag(help: "Put back every file `host prepare` changed.") var undo = false
        @Flag(name: .customLong("pci-assign-busses"), help: "Also add pci=assign-busses, after pinning interface names.")
        var assignBusses = false

        func validate() throws {
            if undo && assignBusses { throw ValidationError("--undo puts back everything; it takes no --pci-assign-busses") }
        }

        func run() throws {
            let selection = sriovctl.global.selection
            let plan = try undo ? HostPreparation.undoPlan(on: selection) : HostPreparation.plan(on: selection, assignBusses: assignBusses)
            guard !plan.isEmpty else {
                print(undo ? "Nothing to undo." : "Nothing to do: the host is prepared.")
                return
            }
            for edit in plan.edits { print(edit.diff, terminator: "") }
            for command in plan.commands { print("will run: \(command.joined(separator: " "))") }
            for note in plan.notes { print("note: \(note)") }
            guard !dryRun else { return }
            let outcome = try undo ? HostPreparation.undo(plan, on: selection) : HostPreparation.apply(plan, on: selection)
            try report(outcome)
            if !outcome.recorded.isEmpty {
                print("Under --root the files are written in the tree and the programs recorded, not run.")
            } else {
                print(
                    undo
                        ? "Undone. Reboot to boot without the changes."
                        : "Prepared. Reboot now: the kernel reads its command line and initramfs only at boot. Then run `sriovctl check`.")
            }
        }
    }
}
