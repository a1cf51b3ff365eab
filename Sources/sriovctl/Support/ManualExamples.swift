/// The EXAMPLES section of each command's man page (scripts/package puts them in), one command
/// line and what it does each. `sriovctl debug man-examples --check` parses every line as
/// sriovctl would, so an example cannot name an option that does not exist.
enum ManualExamples {
    struct Example {
        var line: String
        var says: String
    }

    /// By command path as typed (`boot enable`); the page is sriovctl-boot-enable(8).
    static let byCommand: [(command: String, examples: [Example])] = [
        (
            "status",
            [
                .init(line: "sriovctl status", says: "Every SR-IOV NIC, its VFs and who uses them."),
                .init(line: "sriovctl status enp6s0f0 --json", says: "One PF, as JSON for scripts."),
            ]
        ),
        (
            "plan",
            [
                .init(line: "sriovctl plan", says: "What apply would change, what each step disturbs and which guests."),
                .init(line: "sriovctl plan --detailed-exitcode", says: "Exit 3 when changes are pending (for scripts and monitoring)."),
            ]
        ),
        (
            "apply",
            [
                .init(line: "sriovctl apply", says: "Make the host match the config, then verify it."),
                .init(line: "sriovctl apply --drain --dry-run", says: "Which guests would be shut down and started again, in what order."),
                .init(line: "sriovctl apply --drain --timeout 120", says: "Shut those guests down, apply, start them again."),
            ]
        ),
        (
            "init",
            [
                .init(line: "sriovctl init", says: "Write /etc/sriovctl/sriovctl.toml from what the host has now."),
                .init(line: "sriovctl init --preset pfsense --carp --stdout", says: "A config for a pfSense/OPNsense guest with CARP, printed."),
            ]
        ),
        (
            "check",
            [
                .init(line: "sriovctl check", says: "What the host lacks for SR-IOV and passthrough, with the exact fix."),
                .init(line: "sriovctl check --json", says: "The same as JSON."),
            ]
        ),
        ("host", [.init(line: "sriovctl host prepare --dry-run", says: "The kernel command line and module edits, shown, not made.")]),
        (
            "host prepare",
            [
                .init(line: "sriovctl host prepare --dry-run", says: "Show the edits and commands."),
                .init(line: "sriovctl host prepare", says: "Enable the IOMMU and vfio at boot (then reboot)."),
                .init(line: "sriovctl host prepare --undo", says: "Put every file back as it was."),
            ]
        ),
        ("boot", [.init(line: "sriovctl boot status", says: "Are the units installed, current, enabled; what did this boot's apply do.")]),
        (
            "boot enable",
            [
                .init(line: "sriovctl boot enable", says: "Make the configured VFs at every boot, before guests start."),
                .init(line: "sriovctl boot enable --take-over --dry-run", says: "Show how a hand-made sriov.service would be retired."),
                .init(line: "sriovctl boot enable --take-over --now", says: "Retire it (reversibly) and start the units now."),
            ]
        ),
        (
            "boot disable",
            [
                .init(line: "sriovctl boot disable", says: "Stop making VFs at boot; the VFs stay as they are."),
                .init(line: "sriovctl boot disable --restore", says: "Also give boot back to what --take-over retired."),
            ]
        ),
        ("boot status", [.init(line: "sriovctl boot status", says: "Installed, current, enabled, and this boot's apply log.")]),
        ("assign", [.init(line: "sriovctl assign enp6s0f0:0 --vm 100 --pcie", says: "Give VF 0 of enp6s0f0 to VM 100 as a PCIe device.")]),
        ("hookscript", [.init(line: "sriovctl hookscript install", says: "Attach the pre-start hookscript to every guest with a VF.")]),
        (
            "hookscript install",
            [
                .init(line: "sriovctl hookscript install", says: "Into the local storage's snippets."),
                .init(line: "sriovctl hookscript install --storage nfs-snippets --storage-path /mnt/pve/nfs-snippets", says: "Onto another storage."),
            ]
        ),
        (
            "hookscript remove",
            [
                .init(line: "sriovctl hookscript remove", says: "Detach it from every guest (a chained hookscript comes back)."),
                .init(line: "sriovctl hookscript remove --vm 101", says: "Only from VM 101."),
            ]
        ),
        ("probe", [.init(line: "sriovctl probe enp6s0f0", says: "Ask the card which VF settings it really takes; everything is put back.")]),
        (
            "why",
            [
                .init(line: "sriovctl why 100", says: "Why VM 100 would not start, or has no network on its VF."),
                .init(line: "sriovctl why 100 --json", says: "The same as JSON."),
            ]
        ),
        (
            "top",
            [
                .init(line: "sriovctl top", says: "Live traffic per VF, refreshed every second."),
                .init(line: "sriovctl top --sort vm --interval 2", says: "By guest, every 2 seconds."),
                .init(line: "sriovctl top --once --json", says: "One sample as JSON."),
            ]
        ),
        ("serve", [.init(line: "sriovctl serve enable --now", says: "Prometheus metrics on 127.0.0.1:9808 as a service.")]),
        ("serve run", [.init(line: "sriovctl serve run --listen 127.0.0.1:9808", says: "Serve /metrics in the foreground.")]),
        ("serve enable", [.init(line: "sriovctl serve enable --listen 0.0.0.0:9808 --now", says: "On every address, started now.")]),
        ("serve disable", [.init(line: "sriovctl serve disable", says: "Stop and remove sriovctl-metrics.service.")]),
        ("serve status", [.init(line: "sriovctl serve status", says: "Installed, current, enabled, running.")]),
        ("watch", [.init(line: "sriovctl watch", says: "Re-apply when a PF's VFs disappear (what sriovctl-watch.service runs).")]),
    ]
}
