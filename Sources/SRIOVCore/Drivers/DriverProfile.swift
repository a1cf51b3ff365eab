/// Where a fact about a driver comes from: the kernel source file and the function that decides
/// it. Every fact in a profile names one, so a reader can check it against the kernel they run.
public struct KernelSource: Sendable, Hashable, CustomStringConvertible {
    /// Path in the kernel tree (`drivers/net/ethernet/intel/igb/igb_main.c`).
    public var file: String
    /// The function (or constant) that decides the fact.
    public var function: String

    public init(_ file: String, _ function: String) {
        self.file = file
        self.function = function
    }

    public var description: String { "\(file): \(function)" }
}

/// What one PF driver does with VF settings and VF counts, read from its kernel source: pure
/// data the planner checks a config against before anything changes, and the simulated host
/// behaves by. A driver sriovctl does not know gets `unknown`: nothing refused in advance,
/// everything tried and verified.
public struct DriverProfile: Sendable {
    /// The PF driver's name as the kernel binds it (`igb`, `mlx5_core`).
    public var driver: String
    /// The hardware the facts are for when they differ within one driver (`i350`, `82576`).
    public var variant: String?
    /// Whether these facts come from the driver's source (false: the cautious profile).
    public var known: Bool
    /// Whether `sriovctl probe`'s answers on this host replaced some of them.
    public var probed = false
    /// Settings the driver refuses, ignores or handles only with some firmware.
    public var rules: [SettingRule]

    /// `settings` as the kernel reports them for this driver: what it leaves unset is nil.
    public func reported(_ settings: VFSettings) -> VFSettings {
        var result = settings
        for rule in rules where rule.unreported { rule.field.set(nil, in: &result) }
        return result
    }
    /// Rates the hardware enforces in steps (i40e: 50 Mbit/s).
    public var rateSteps: RateSteps?
    /// The most VFs the driver enables, whatever `sriov_totalvfs` says, and its answer beyond.
    public var vfLimit: VFLimit?
    /// What an untrusted VF may have (MAC and VLAN filters).
    public var untrusted: UntrustedLimits?
    /// How a MAC set through the PF reaches the VF.
    public var macChange: MACChange
    /// Whether the driver reports per-VF counters (`IFLA_VF_STATS`).
    public var perVFCounters: Sourced<Bool>?
    /// PF private flags (`ethtool --show-priv-flags`) that change what VFs may do.
    public var privateFlags: [PrivateFlag]
    /// The driver creates no VFs while the PF is down (and says nothing): bring it up first.
    public var vfsNeedLinkUp: KernelSource?
    /// The driver may enable fewer VFs than asked without an error: read the count back.
    public var mayEnableFewer: KernelSource?
    /// VF creation fails with ENOSPC when the PF's MSI-X vectors run out.
    public var vectorsRunOut: Sourced<String>?

    public init(
        driver: String, variant: String? = nil, known: Bool = true, rules: [SettingRule] = [], rateSteps: RateSteps? = nil,
        vfLimit: VFLimit? = nil, untrusted: UntrustedLimits? = nil, macChange: MACChange = .unknown,
        perVFCounters: Sourced<Bool>? = nil, privateFlags: [PrivateFlag] = [], vfsNeedLinkUp: KernelSource? = nil,
        mayEnableFewer: KernelSource? = nil, vectorsRunOut: Sourced<String>? = nil
    ) {
        self.driver = driver
        self.variant = variant
        self.known = known
        self.rules = rules
        self.rateSteps = rateSteps
        self.vfLimit = vfLimit
        self.untrusted = untrusted
        self.macChange = macChange
        self.perVFCounters = perVFCounters
        self.privateFlags = privateFlags
        self.vfsNeedLinkUp = vfsNeedLinkUp
        self.mayEnableFewer = mayEnableFewer
        self.vectorsRunOut = vectorsRunOut
    }

    /// `igb (i350)`, and `probed` when a probe's answers are in it.
    public var name: String { (variant.map { "\(driver) (\($0))" } ?? driver) + (probed ? ", probed" : "") }

    /// Every source the profile names, for the test that no fact goes without one.
    public var sources: [KernelSource] {
        rules.map(\.source)
            + [rateSteps?.source, vfLimit?.source, untrusted?.source, macChange.source, perVFCounters?.source]
            .compactMap { $0 } + privateFlags.map(\.source) + [vfsNeedLinkUp, mayEnableFewer, vectorsRunOut?.source].compactMap { $0 }
    }
}

/// A value and the kernel source it was read from.
public struct Sourced<Value: Sendable>: Sendable {
    public var value: Value
    public var source: KernelSource

    public init(_ value: Value, _ source: KernelSource) {
        self.value = value
        self.source = source
    }
}

/// What a driver does when asked for a VF setting.
public struct SettingRule: Sendable {
    /// Which values the rule is about.
    public enum Values: Sendable, Equatable {
        /// Any value other than the one a new VF has (a no-op write is never sent).
        case anyButDefault
        /// Any value at all: a driver without the operation refuses even the one a new VF has,
        /// when the file writes it (a setting the driver does not report is sent as written).
        case any
        /// These values, as the config writes them (`enable`, `802.1ad`).
        case only(Set<String>)
        /// Numbers in this range (rates in Mbit/s, QoS).
        case between(ClosedRange<Int>)
    }

    public enum Effect: Sendable, Equatable {
        /// The kernel answers with this error; nothing changes.
        case refused(errno: String)
        /// Accepted, and nothing happens.
        case ignored
        /// Refused with this error by some kernels or firmware, done by others: tried and verified.
        case varies(errno: String)
    }

    public var field: VFField
    public var values: Values
    public var effect: Effect
    /// Why, in the driver's terms (`igb limits rates only on the 82576`).
    public var why: String
    /// What to do instead.
    public var instead: String
    public var source: KernelSource
    /// The driver also reports no value for the field: the kernel's "unset" (-1) stands.
    public var unreported = false

    public init(_ field: VFField, _ values: Values, _ effect: Effect, why: String, instead: String, source: KernelSource) {
        self.field = field
        self.values = values
        self.effect = effect
        self.why = why
        self.instead = instead
        self.source = source
    }

    /// Whether `settings` asks for something this rule is about.
    public func matches(_ settings: VFSettings) -> Bool {
        guard let value = field.rawText(in: settings) else { return false }
        switch values {
        case .anyButDefault:
            return value != field.rawText(in: .freshlyCreated)
        case .any:
            return true
        case let .only(set):
            return set.contains(value)
        case let .between(range):
            return Int(value).map(range.contains) ?? false
        }
    }
}

extension SettingRule {
    /// `rss-query` on a driver whose netdev ops have no `ndo_set_vf_rss_query_en`: rtnetlink's
    /// `do_setvfinfo` answers EOPNOTSUPP whatever the value, and the driver reports none (the
    /// kernel's -1 stands). The legacy VF API is frozen: no new driver may add it
    /// (Documentation/networking/netdevices.rst).
    static func noRSSQuery(_ driver: String, _ file: String, ops: String) -> SettingRule {
        var rule = SettingRule(
            .rssQuery, .any, .refused(errno: "EOPNOTSUPP"),
            why: "\(driver) does not let the host choose whether a VF may query the RSS key and table (its \(ops) has no ndo_set_vf_rss_query_en)",
            instead: "leave rss-query out", source: KernelSource(file, "\(ops) (no .ndo_set_vf_rss_query_en)"))
        rule.unreported = true
        return rule
    }
}

/// Rates enforced in steps: a rate between steps is rounded down, one below the first step is
/// raised to it.
public struct RateSteps: Sendable {
    public var step: Int
    public var source: KernelSource

    public init(step: Int, source: KernelSource) {
        self.step = step
        self.source = source
    }

    /// The rate the hardware enforces for `rate` Mbit/s (0: no limit).
    public func enforced(_ rate: Int) -> Int {
        guard rate > 0 else { return 0 }
        return rate < step ? step : rate / step * step
    }
}

/// The most VFs a driver enables.
public struct VFLimit: Sendable {
    public var count: Int
    /// What the kernel answers beyond it (`EPERM`), or nil when it enables fewer silently.
    public var errno: String?
    /// The words for it (`igb enables at most 7 VFs per port`).
    public var why: String
    public var source: KernelSource

    public init(count: Int, errno: String?, why: String, source: KernelSource) {
        self.count = count
        self.errno = errno
        self.why = why
        self.source = source
    }
}

/// Filters an untrusted VF gets: past them the guest's requests are refused or ignored.
public struct UntrustedLimits: Sendable {
    /// Unicast and multicast MAC filters (`I40E_VC_MAX_MAC_ADDR_PER_VF`: 18); nil when shared.
    public var macFilters: Int?
    /// VLAN filters (`I40E_VC_MAX_VLAN_PER_VF`: 16); nil when not limited per VF.
    public var vlanFilters: Int?
    /// Whether an untrusted VF's promiscuous request is acknowledged and ignored.
    public var promiscuousIgnored: Bool
    public var note: String
    public var source: KernelSource

    public init(macFilters: Int?, vlanFilters: Int?, promiscuousIgnored: Bool, note: String, source: KernelSource) {
        self.macFilters = macFilters
        self.vlanFilters = vlanFilters
        self.promiscuousIgnored = promiscuousIgnored
        self.note = note
        self.source = source
    }
}

/// How a MAC set through the PF reaches a VF whose driver is bound.
public enum MACChange: Sendable {
    /// Only when the VF driver re-initialises (igb, ixgbe): sriovctl re-probes host-bound VFs.
    case needsReprobe(KernelSource)
    /// The PF resets the VF, and its driver starts again with the MAC (i40e, ice).
    case resetsVF(KernelSource)
    /// Not known: sriovctl re-probes host-bound VFs to be sure.
    case unknown

    public var source: KernelSource? {
        switch self {
        case let .needsReprobe(s), let .resetsVF(s): s
        case .unknown: nil
        }
    }
}

/// A PF private flag that matters for VFs.
public struct PrivateFlag: Sendable {
    public var name: String
    public var what: String
    public var source: KernelSource

    public init(_ name: String, _ what: String, source: KernelSource) {
        self.name = name
        self.what = what
        self.source = source
    }
}
