import SRIOVCore
import SRIOVHost

/// Which host a command acts on and which config it reads: the global options, as values.
public struct HostSelection: Sendable {
    public static let defaultConfig = BootUnits.defaultConfig

    /// `--root DIR`: a host tree; "/" is this machine.
    public var root: String
    /// `--simulate FILE` and where its state is kept.
    public var simulate: String?
    public var simulateState: String?
    /// `--config FILE`, when given.
    public var config: String?
    /// For the simulated host's state folder ($TMPDIR).
    public var environment: [String: String]

    public init(
        root: String = "/", simulate: String? = nil, simulateState: String? = nil, config: String? = nil,
        environment: [String: String] = [:]
    ) {
        self.root = root
        self.simulate = simulate
        self.simulateState = simulateState
        self.config = config
        self.environment = environment
    }

    /// The config file on this machine: as given, or the default under the root, with links
    /// resolved inside the root. One that leads out is never read: the path then names no file,
    /// and says why.
    public var configPath: String {
        config ?? onThisMachine(Self.defaultConfig)
    }

    /// A path as the host sees it (a unit names it), as a path on this machine: under the root,
    /// links resolved inside it; one that leads out names no file.
    public func onThisMachine(_ hostPath: String) -> String {
        guard root != "/" else { return hostPath }
        return (try? RootedFileSystem(root: root).confining(hostPath)) ?? root + "/(\(hostPath) is a link that leads outside --root)"
    }

    /// The config's path as the host itself sees it (what units and hookscripts name).
    /// A relative `--config` is made absolute from the working directory: units and hookscripts
    /// run elsewhere.
    public var configPathOnHost: String {
        guard let config else { return Self.defaultConfig }
        return Self.absolute(config, from: ProcessFacts.workingDirectory())
    }

    /// `path` from `directory`, with `.` and `..` worked out (`/root/a/../b.toml` -> `/root/b.toml`).
    public static func absolute(_ path: String, from directory: String) -> String {
        var parts: [Substring] = []
        for part in ((path.hasPrefix("/") ? "" : directory + "/") + path).split(separator: "/") {
            if part == "." { continue }
            if part == ".." {
                _ = parts.popLast()
                continue
            }
            parts.append(part)
        }
        return "/" + parts.joined(separator: "/")
    }

    /// Opens the selected host. A missing `--root` folder or a bad simulated description is bad
    /// input, said before anything is read.
    public func open() throws -> any Host {
        if let simulate { return try store(simulate).load() }
        if root != "/" {
            guard ProcessFacts.isDirectory(root) else {
                throw EngineError.invalidInput("--root \(root): no such directory. Give the top of a captured host tree.")
            }
        }
        return LinuxHost(root: root)
    }

    /// The events of the selected host, for `watch`: the kernel's, or a simulated host's state
    /// changing. A host tree never changes by itself: watching one is refused.
    public func openEvents() throws -> any HostEventSource {
        if let simulate { return SimulatedEventSource(statePath: store(simulate).statePath) }
        guard root == "/" else {
            throw EngineError.invalidInput("watch needs a live host (or --simulate): a tree under --root has no device events")
        }
        return try KernelEventSource()
    }

    func store(_ path: String) -> SimulatedHostStore {
        SimulatedHostStore(descriptionPath: path, statePath: simulateState, environment: environment)
    }
}
