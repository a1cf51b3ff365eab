import SRIOVCore
import SRIOVHost

/// `sriovctl init`: writes the config that reproduces the host as it is, then plans it (the plan
/// must be empty). Refuses to replace a file unless asked.
public enum InitUseCase {
    public struct Request: Sendable {
        /// Where to write; nil: the selected config path.
        public var output: String?
        /// Print the config instead of writing it.
        public var toStandardOutput: Bool
        public var force: Bool
        /// `--preset pfsense` (`--carp`): changes the firewall's VFs, so the plan is not empty.
        public var preset: ConfigFromHost.FirewallPreset?

        public init(output: String?, toStandardOutput: Bool, force: Bool, preset: ConfigFromHost.FirewallPreset? = nil) {
            self.output = output
            self.toStandardOutput = toStandardOutput
            self.force = force
            self.preset = preset
        }
    }

    public struct Outcome: Sendable {
        public var text: String
        /// Where it was written; nil with `--stdout`.
        public var path: String?
        /// The plan of the written config on the same host: empty when init did its job (without
        /// a preset; a preset's changes are listed here).
        public var plan: Plan
    }

    public static func run(_ request: Request, on selection: HostSelection) throws -> Outcome {
        if !request.toStandardOutput && selection.simulate != nil && request.output == nil && selection.config == nil {
            throw EngineError.invalidInput(
                "init --simulate: give --output FILE (or --config FILE, or --stdout): the simulated host has no /etc/sriovctl of its own")
        }
        let host = try selection.open()
        let snapshot = try host.snapshot()
        let proxmox = host.proxmox
        if proxmox.isProxmox && !proxmox.isMounted {
            // An empty /etc/pve says nothing of which guests have VFs: the config would leave them out.
            throw EngineError.hostFailed(
                "Proxmox VE's cluster file system is not mounted (/etc/pve is empty), so init cannot see which guests have VFs: start pve-cluster.service (`systemctl start pve-cluster`), then run init again"
            )
        }
        var guests: [PCIAddress: ConfigFromHost.Guest] = [:]
        if proxmox.isProxmox {
            guests = ConfigFromHost.guests(snapshot: snapshot, guests: proxmox.guests(), mappings: proxmox.mappings(), node: proxmox.node)
        }
        try host.files.escapes.check()
        // PFs whose tables sriovctl keeps now keep being kept (an unreadable record: none).
        let synced = Set(((try? ForwardingPlanning.readRecord(host.files))?.pfs ?? [:]).filter { !$0.value.isEmpty }.keys)
        let text = ConfigFromHost.text(
            snapshot: snapshot, guests: guests, source: host.kind.label, preset: request.preset, synced: synced)
        var path: String?
        if !request.toStandardOutput {
            // Under --root the default config is written only inside the tree: an `etc/sriovctl`
            // (or `etc`) that is a link out of it is an error (exit 2), never written through.
            if request.output == nil && selection.config == nil && selection.root != "/" && selection.simulate == nil {
                _ = try RootedFileSystem(root: selection.root).confining(HostSelection.defaultConfig)
            }
            let target = request.output ?? selection.configPath
            if exists(target) && !request.force {
                throw EngineError.invalidInput(
                    "\(target) already exists: sriovctl init does not replace a config. Give --force to replace it, --output FILE to write elsewhere, or --stdout"
                )
            }
            AtomicFile.makeDirectories(parent(of: target))
            do {
                try AtomicFile.write(text, to: target, mode: 0o644)
            } catch {
                throw EngineError.hostFailed("cannot write \(target): \(error)")
            }
            path = target
        }
        // The proof: the config as written, planned on the same host, changes nothing.
        let config = try ConfigReader.read(text, path: path ?? "(standard output)")
        let context = try PlanningContext.make(config, on: host, forwarding: false)
        return Outcome(text: text, path: path, plan: context.plan)
    }

    static func exists(_ path: String) -> Bool { ProcessFacts.exists(path) }

    static func parent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }
}
