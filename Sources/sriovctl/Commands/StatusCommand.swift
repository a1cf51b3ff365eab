import ArgumentParser
import SRIOVCore
import SRIOVEngine

struct Status: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show every SR-IOV capable PF and its VFs as the kernel holds them now.",
        discussion: """
            Reads sysfs and one rtnetlink dump; changes nothing. Name PFs by interface, PCI address \
            or permanent MAC to show only those. Values the kernel or the driver does not report \
            show as "-" (null in JSON). A VF MAC of 00:00:00:00:00:00 means it was never set: \
            FreeBSD/pfSense guests need one (`sriovctl apply` gives every VF a stable MAC).

            Examples:
              sriovctl status
              sriovctl status enp6s0f0 --json
              sriovctl status --simulate \(InstalledPaths.examples)/i350-t4-homelab.json
            """)

    @ParentCommand var sriovctl: SRIOVCtl
    var global: GlobalOptions { sriovctl.global }

    @Argument(
        help: ArgumentHelp(
            "PFs to show (interface, PCI address or permanent MAC); all when none.",
            valueName: "pf"),
        completion: ShellCompletions.pf)
    var pfs: [String] = []

    @Flag(help: "Print JSON (the keys are stable; see docs/reference.md).")
    var json = false

    func run() throws { try Self.show(pfs, json: json, on: global.selection) }

    /// What `status` prints, for ArgumentParser's Status and the quick path (QuickInvocation).
    static func show(_ pfs: [String], json: Bool, on selection: HostSelection) throws {
        let outcome = try StatusUseCase.run(pfs.map(PFSelector.init), on: selection)
        let (selected, ownership) = (outcome.pfs, outcome.ownership)
        if json {
            print(StatusJSON.render(selected, ownership: ownership, forwarding: outcome.forwarding).serialized(pretty: true))
        } else if selected.isEmpty {
            print(StatusText.noDevices)
        } else {
            print(StatusText.render(selected, ownership: ownership, forwarding: outcome.forwarding).terminalSafe)
        }
    }
}
