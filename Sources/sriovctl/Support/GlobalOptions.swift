import ArgumentParser

/// Options every command takes: where the config is and which host to act on.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp(
        "The config file (default: /etc/sriovctl/sriovctl.toml, under --root when given).", valueName: "file"))
    var config: String?

    static let defaultConfig = "/etc/sriovctl/sriovctl.toml"

    /// The config file on this machine: as given, or the default under the root.
    var configPath: String {
        if let config { return config }
        return root == "/" ? Self.defaultConfig : root + Self.defaultConfig
    }

    @Option(name: .long, help: ArgumentHelp(
        "Read and write sysfs, /etc and /run under this directory instead of / (tests, captured hosts).",
        valueName: "dir"))
    var root: String = "/"

    @Option(name: .long, help: ArgumentHelp(
        "Act on a simulated host described by this JSON file (see examples/) instead of the real one. "
            + "Its state is kept between runs in a state file.",
        valueName: "file"))
    var simulate: String?

    @Option(name: .long, help: ArgumentHelp(
        "Where --simulate keeps its state (default: $TMPDIR/sriovctl-simulated-NAME.state).", valueName: "file"))
    var simulateState: String?

    func validate() throws {
        if simulate != nil && root != "/" {
            throw ValidationError("--simulate and --root name two different hosts; give one of them.")
        }
    }
}
