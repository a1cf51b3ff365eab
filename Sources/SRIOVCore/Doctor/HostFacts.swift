/// What `check` looks at, gathered by SRIOVHost; judged by `Doctor`.
public struct HostFacts: Sendable {
    public var cpuFlags: Set<String> = []
    public var vendor: CPUVendor = .other
    public var kernel: KernelRelease?
    public var kernelReleaseText: String = "?"
    public var cmdline = KernelCommandLine("")
    public var iommuGroups = 0
    /// ACPI tables that describe an IOMMU to the kernel.
    public var dmarTable = false
    public var ivrsTable = false
    /// The kernel log, when it could be read.
    public var kernelLog: [String]?
    public var loadedModules: Set<String> = []
    /// Modules named in /etc/modules and /etc/modules-load.d.
    public var modulesConfigured: Set<String> = []
    public var bootloader: Bootloader = .unknown
    /// What `sriovctl probe` recorded on this host, when anything.
    public var capabilities: CapabilityRecord?
    public var snapshot: HostSnapshot?
    public var configPath: String = ""
    /// nil: the config is valid; otherwise why not (or that it is missing).
    public var configProblem: String?
    public var configMissing = false
    public var bootUnitInstalled = false
    public var bootUnitEnabled: String?
    /// Steps `plan` would take, when the config could be planned.
    public var pendingChanges: Int?

    public init() {}
}

/// One line of `check`: a prerequisite, its state, the evidence, and the exact fix.
public struct CheckResult: Hashable, Sendable {
    public enum State: String, Sendable { case ok, warn, fail, info }
    public var id: String
    public var title: String
    public var state: State
    public var evidence: String
    public var fix: String?

    public init(_ id: String, _ title: String, _ state: State, _ evidence: String, fix: String? = nil) {
        self.id = id
        self.title = title
        self.state = state
        self.evidence = evidence
        self.fix = fix
    }
}
