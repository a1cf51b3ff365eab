import ArgumentParser
import SRIOVCore
import SRIOVEngine

struct InitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Write a config that reproduces the VFs as they are now (coming from a hand-made setup).",
        discussion: """
            Reads the host and writes a config with every PF that has VFs: its VF count, and for \
            each VF its MAC (set MACs pinned; an unset, all-zero MAC as mac = "keep", which leaves \
            it alone), VLAN, QoS, spoof check, trust, link state, rates and driver; on Proxmox VE \
            also the VM, hostpci slot, pcie and PCI mapping each VF belongs to. Every line has a \
            comment saying what it does. PFs without VFs are listed, commented out.

            It writes to --output, else to the config path (--config, default \
            /etc/sriovctl/sriovctl.toml), and never replaces a file without --force. Then it plans \
            the written config: the plan must be "No changes". --stdout prints the config \
            instead (the plan goes to standard error).

            Next: `sriovctl check` names other tools that set VFs at boot (a hand-written \
            sriov.service, /etc/network/interfaces, sysfs.conf, udev, modprobe options, \
            systemd-networkd, NetworkManager, netplan); `sriovctl boot enable` makes sriovctl \
            apply the config at boot.

            --preset pfsense prepares the VFs a firewall guest gets (given to a VM, or bound to \
            vfio-pci): their MACs are pinned, an unset one gets its stable "auto" MAC written out \
            (FreeBSD needs a real MAC); with --carp also trust = true and spoof-check = false, which \
            CARP's shared virtual MAC needs. Then the plan lists those changes.

            Examples:
              sriovctl init
              sriovctl init --stdout | less
              sriovctl init --preset pfsense --carp --output /root/firewall.toml
              sriovctl init --output /root/sriovctl.toml

            Exit codes: 0 written and it plans to nothing, 2 the file exists (no --force) or bad \
            arguments, 1 the host could not be read or the written config does not plan to nothing.
            """)

    @ParentCommand var sriovctl: SRIOVCtl

    @Option(help: ArgumentHelp("Write the config here instead of the config path.", valueName: "file"), completion: .file(extensions: ["toml"]))
    var output: String?
    @Flag(help: "Print the config on standard output; write no file.") var stdout = false
    @Flag(help: "Replace the file if it exists.") var force = false
    @Option(
        help: ArgumentHelp(
            "pfsense: for the VFs a firewall guest gets (given to a VM, or on vfio-pci), pin MACs (an unset one gets its stable \"auto\" MAC).",
            valueName: "preset")) var preset: Preset?
    @Flag(help: "With --preset pfsense: trust on and spoof checking off for those VFs, which CARP needs.") var carp = false

    enum Preset: String, ExpressibleByArgument, CaseIterable { case pfsense }

    func validate() throws {
        if stdout && output != nil { throw ValidationError("--stdout and --output exclude each other") }
        if carp && preset == nil { throw ValidationError("--carp goes with --preset pfsense") }
        if let output, output.isEmpty || output.contains(where: { $0.isNewline || $0 == "\0" }) {
            throw ValidationError("--output must be a file path")
        }
    }

    func run() throws {
        let request = InitUseCase.Request(
            output: output, toStandardOutput: stdout, force: force, preset: preset.map { _ in .init(carp: carp) })
        let outcome = try InitUseCase.run(request, on: sriovctl.global.selection)
        let planText = PlanRendering.text(outcome.plan, config: outcome.path ?? "(standard output)", inUse: [])
        if stdout {
            print(outcome.text, terminator: "")
            printError(planText)
        } else {
            print("wrote \(outcome.path ?? "")")
            print(planText)
        }
        if preset != nil {
            if !outcome.plan.isEmpty { printError("The preset changes what the plan lists: `sriovctl apply` makes those changes.") }
        } else if !outcome.plan.isEmpty {
            printError("sriovctl: the written config does not reproduce the host exactly (see the plan above); please report it")
            throw ExitCode(ExitStatus.hostFailed.rawValue)
        }
    }
}
