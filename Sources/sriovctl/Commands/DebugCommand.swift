import ArgumentParser
import SRIOVEngine

/// Tools for developers and bug reports; not part of the stable interface.
struct Debug: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Developer tools: capture what the kernel says, for fixtures and bug reports.",
        shouldDisplay: false,
        subcommands: [CaptureNetlink.self, PackagedUnits.self])

    struct CaptureNetlink: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "capture-netlink",
            abstract: "Write the raw bytes of one RTM_GETLINK dump (with VF info) to a file.",
            discussion: """
                A tree for --root reads the link dump from ROOT/run/sriovctl/netlink-dump.bin and the \
                forwarding-table dump (--fdb) from ROOT/run/sriovctl/fdb-dump.bin.
                """)

        @Argument(help: "Where to write the capture.") var output: String
        @Flag(help: "Ask for VF stats too.") var stats = false
        @Flag(help: "Capture the forwarding tables (bridge fdb show) instead of the links.") var fdb = false

        func run() throws {
            let capture = try NetlinkCapturing.capture(to: output, withStats: stats, forwarding: fdb)
            print("captured \(capture.datagrams) datagrams, \(capture.bytes) bytes, sequence \(capture.sequence)")
        }
    }

    /// What the Debian package installs under /usr/lib/systemd/system (scripts/package runs it).
    struct PackagedUnits: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "packaged-units",
            abstract: "Write the units the Debian package installs into a folder.")

        @Argument(help: "The folder.") var output: String

        func run() throws {
            for unit in try UnitInstaller.packagedUnits() {
                try UnitInstaller.writePackaged(unit, into: output)
                print(unit.name)
            }
        }
    }
}
