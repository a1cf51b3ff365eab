import ArgumentParser
import SRIOVEngine

/// Options every command takes: where the config is and which host to act on.
struct GlobalOptions: ParsableArguments {
    @Option(
        name: .long,
        help: ArgumentHelp(
            "The config file (default: /etc/sriovctl/sriovctl.toml, under --root when given).", valueName: "file"),
        completion: .file(extensions: ["toml"]))
    var config: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Act on a host tree under this directory instead of this machine: sysfs, /etc and /run are read and written there, "
                + "and no program runs (each is recorded in DIR/run/sriovctl/commands.log). For tests and captured hosts.",
            valueName: "dir"),
        completion: .directory)
    var root: String = "/"

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Act on a simulated host described by this JSON file (see \(InstalledPaths.examples)/) instead of the real one. "
                + "Its state is kept between runs in a state file.",
            valueName: "file"),
        completion: .file(extensions: ["json"]))
    var simulate: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "Where --simulate keeps its state (default: $TMPDIR/sriovctl-simulated-NAME.state).", valueName: "file"),
        completion: .file())
    var simulateState: String?

    func validate() throws {
        if let conflict = host.conflict { throw ValidationError(conflict) }
    }

    /// These options' values, as the quick path (QuickInvocation) also reads them.
    var host: HostArguments { HostArguments(config: config, root: root, simulate: simulate, simulateState: simulateState) }

    /// The host and config these options name.
    var selection: HostSelection { host.selection }
}
