import ArgumentParser
import SRIOVCore
import SRIOVEngine

struct PlanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Show what `apply` would change, step by step. Changes nothing.",
        discussion: """
            Reads the config, observes the host, and lists every change in the order apply makes \
            them: PF link and MTU, autoprobe, VF count (through 0 when it changes between two \
            non-zero counts, as the kernel requires), VF settings, then driver binding. Only what \
            differs is listed. VFs in use (a VM, a process holding their VFIO group, a netdev with \
            addresses) are flagged: apply refuses to remove or rebind them unless --force.

            A minimal config (/etc/sriovctl/sriovctl.toml):

              [[pf]]
              name = "enp6s0f0"
              num-vfs = 4

              [[pf.vf]]
              index = 0
              driver = "vfio-pci"     # for a VM; mac defaults to a stable "auto" MAC

            Exit codes: 0 (with --detailed-exitcode: nothing to do), 3 changes pending \
            (--detailed-exitcode), 2 invalid config, 1 the host could not be read.
            """)

    @ParentCommand var sriovctl: SRIOVCtl
    var global: GlobalOptions { sriovctl.global }

    @Flag(help: "Print JSON.") var json = false
    @Flag(help: "Exit 3 when there are changes to apply, 0 when there are none.") var detailedExitcode = false

    func run() throws {
        let context = try PlanUseCase.run(on: global.selection)
        if json {
            print(PlanRendering.json(context).serialized(pretty: true))
        } else {
            print(PlanRendering.text(context).terminalSafe)
        }
        if detailedExitcode && !context.plan.isEmpty { throw ExitCode(ExitStatus.changesPending.rawValue) }
    }
}
