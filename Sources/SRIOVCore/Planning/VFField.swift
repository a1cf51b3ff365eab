/// The VF settings sriovctl manages. Each case describes its setting once, and everything else
/// is derived from the description: the config key and how its value is read and checked, the
/// value in `VFSettings` (one read and one write switch), `status --json` (the raw value is the
/// JSON key), the status column, the metrics label, the iproute2 words, the line `init` writes,
/// what `probe` tries, and how the kernel groups it. Its netlink attribute is SRIOVHost's
/// `VFField+Netlink`. A new setting is a case here, a stored property in `VFSettings`, its
/// attribute, and its driver rules.
public enum VFField: String, CaseIterable, Hashable, Sendable {
    case mac, vlan, qos, vlanProtocol, spoofCheck, trust, linkState, minTxRate, maxTxRate, rssQuery

    /// What a setting's value is, as the config file writes it.
    public enum Kind: Sendable, Equatable {
        /// A MAC address (the config's `mac` also takes "auto" and "keep": `MACChoice`).
        case mac
        /// true or false.
        case flag
        /// An integer in this range; `expected` says it in words for a message.
        case number(ClosedRange<Int>, expected: String)
        /// One of these words.
        case choice([String])

        /// What a value of this kind is, in words: "a MAC address", "one of \"auto\", ...".
        public var expected: String {
            switch self {
            case .mac: "a MAC address"
            case .flag: "true or false"
            case let .number(_, expected): expected
            case let .choice(words): "one of " + words.map { "\"\($0)\"" }.joined(separator: ", ")
            }
        }
    }

    public var kind: Kind {
        switch self {
        case .mac: .mac
        case .vlan: .number(0...4094, expected: "an integer 0-4094 (0 = untagged)")
        case .qos: .number(0...7, expected: "an integer 0-7")
        case .vlanProtocol: .choice(VLANProtocol.allCases.map(\.rawValue))
        case .linkState: .choice(LinkState.allCases.map(\.rawValue))
        case .spoofCheck, .trust, .rssQuery: .flag
        case .minTxRate, .maxTxRate: .number(0...Int(Int32.max), expected: "a rate in Mbit/s, 0 or more (0 = no limit)")
        }
    }

    /// The field's value in `settings`; nil when not set or not reported. The one place that
    /// reads a `VFSettings` field by name.
    public func value(in s: VFSettings) -> SettingValue? {
        switch self {
        case .mac: s.mac.map { .text($0.description) }
        case .vlan: s.vlan.map(SettingValue.number)
        case .qos: s.qos.map(SettingValue.number)
        case .vlanProtocol: s.vlanProtocol.map { .text($0.rawValue) }
        case .spoofCheck: s.spoofCheck.map(SettingValue.flag)
        case .trust: s.trust.map(SettingValue.flag)
        case .linkState: s.linkState.map { .text($0.rawValue) }
        case .minTxRate: s.minTxRate.map(SettingValue.number)
        case .maxTxRate: s.maxTxRate.map(SettingValue.number)
        case .rssQuery: s.rssQuery.map(SettingValue.flag)
        }
    }

    /// Sets the field in `s` to `value` (nil: unset). False, and `s` unchanged, when the value
    /// is not of the field's kind (a word that is no protocol, a flag for a number). The one
    /// place that writes a `VFSettings` field by name.
    @discardableResult
    public func set(_ value: SettingValue?, in s: inout VFSettings) -> Bool {
        switch self {
        case .mac: assign(value, to: &s.mac) { $0.text.flatMap(MACAddress.init) }
        case .vlan: assign(value, to: &s.vlan, \.number)
        case .qos: assign(value, to: &s.qos, \.number)
        case .minTxRate: assign(value, to: &s.minTxRate, \.number)
        case .maxTxRate: assign(value, to: &s.maxTxRate, \.number)
        case .spoofCheck: assign(value, to: &s.spoofCheck, \.flag)
        case .trust: assign(value, to: &s.trust, \.flag)
        case .rssQuery: assign(value, to: &s.rssQuery, \.flag)
        case .vlanProtocol: assign(value, to: &s.vlanProtocol) { $0.text.flatMap(VLANProtocol.init(rawValue:)) }
        case .linkState: assign(value, to: &s.linkState) { $0.text.flatMap(LinkState.init(rawValue:)) }
        }
    }

    /// The key in the config file: the JSON key in words (`spoofCheck` -> `spoof-check`).
    /// Derived once: resolving a config asks it for every field of every VF.
    public var configKey: String { Self.configKeys[self]! }

    private static let configKeys = Dictionary(
        uniqueKeysWithValues: allCases.map { field in
            (field, field.rawValue.reduce(into: "") { key, c in key += c.isUppercase ? "-" + c.lowercased() : String(c) })
        })

    /// The label of `sriovctl_vf_info` (`spoof_check`).
    public var metricsLabel: String { String(configKey.map { $0 == "-" ? "_" : $0 }) }

    /// The field's value as the config writes it (`enable`, `802.1ad`, `on`, `120`); nil when unset.
    public func rawText(in s: VFSettings) -> String? {
        value(in: s).map { value in
            switch value {
            case let .text(t): t
            case let .number(n): String(n)
            case let .flag(b): b ? "on" : "off"
            }
        }
    }

    /// The field's value in `settings`, as text with its unit; nil when not set or not reported.
    public func text(in settings: VFSettings) -> String? {
        guard let raw = rawText(in: settings) else { return nil }
        return self == .minTxRate || self == .maxTxRate ? "\(raw) Mbit/s" : raw
    }

    /// Whether the field is set (non-nil) in `settings`.
    public func isSet(in settings: VFSettings) -> Bool { value(in: settings) != nil }

    /// Copies this field from `source` into `target`.
    public func copy(from source: VFSettings, into target: inout VFSettings) {
        set(value(in: source), in: &target)
    }

    /// Fields the kernel sets in one call: a port VLAN is (id, QoS, protocol), a rate is (min, max).
    public var group: [VFField] {
        switch self {
        case .vlan, .qos, .vlanProtocol: [.vlan, .qos, .vlanProtocol]
        case .minTxRate, .maxTxRate: [.minTxRate, .maxTxRate]
        default: [self]
        }
    }

    /// The words of `ip link set dev PF vf N ...` that set this field (a port VLAN's words come
    /// with `vlan`, with its QoS and protocol).
    public func ipLinkWords(in s: VFSettings) -> [String] {
        guard let raw = rawText(in: s) else { return [] }
        switch self {
        case .mac: return ["mac", raw]
        case .vlan: return ["vlan", raw, "qos", "\(s.qos ?? 0)", "proto", (s.vlanProtocol ?? .dot1Q).rawValue]
        case .qos, .vlanProtocol: return []
        case .minTxRate: return ["min_tx_rate", raw]
        case .maxTxRate: return ["max_tx_rate", raw]
        case .spoofCheck: return ["spoofchk", raw]
        case .trust: return ["trust", raw]
        case .linkState: return ["state", raw]
        case .rssQuery: return ["query_rss", raw]
        }
    }

    /// The field as the config writes it (`trust = true`, `link-state = "disable"`); nil when unset.
    public func written(in s: VFSettings) -> String? { value(in: s).map { configLine($0).line } }

    /// The line `init` writes for a value that is not a new VF's, and its comment.
    public func configLine(_ value: SettingValue) -> (line: String, comment: String) {
        let literal =
            switch value {
            case let .text(t): "\"\(t)\""
            case let .number(n): String(n)
            case let .flag(b): b ? "true" : "false"
            }
        let comment: String =
            switch (self, value) {
            case (.vlan, let .number(n)): "port VLAN: tagged \(n) on the wire, untagged in the guest"
            case (.qos, _): "802.1p priority of that VLAN"
            case (.vlanProtocol, _): "the port VLAN's tag type"
            case (.spoofCheck, .flag(true)): "frames with another source MAC are dropped"
            case (.spoofCheck, _): "the VF may send from other MACs (CARP, a bridge in the guest)"
            case (.trust, .flag(true)): "the guest may change its MAC and use promiscuous/allmulti modes"
            case (.trust, _): "the guest may not change its MAC"
            case (.linkState, _): "the VF's link, independent of the port's"
            case (.minTxRate, _): "guaranteed Mbit/s"
            case (.maxTxRate, _): "Mbit/s cap"
            case (.rssQuery, .flag(true)): "the guest may read the RSS key and table it shares with the PF"
            case (.rssQuery, _): "the guest may not read the shared RSS key and table"
            default: ""
            }
        return ("\(configKey) = \(literal)", comment)
    }

    /// The `status` column that shows this field, and its cell; nil for a field shown in another's
    /// column (a VLAN's QoS and protocol, the minimum rate).
    public var statusColumn: String? {
        switch self {
        case .mac: "MAC"
        case .vlan: "VLAN"
        case .qos: "QOS"
        case .spoofCheck: "SPOOF"
        case .trust: "TRUST"
        case .linkState: "LINK"
        case .maxTxRate: "TX MIN/MAX"
        case .rssQuery: "RSS-Q"
        case .vlanProtocol, .minTxRate: nil
        }
    }

    /// This field's `status` cell for `s` ("-" when not reported).
    public func statusCell(in s: VFSettings) -> String {
        switch self {
        case .mac:
            return s.mac.map { $0.isZero ? "\($0) (unset)" : $0.description } ?? "-"
        case .vlan:
            guard let vlan = s.vlan else { return "-" }
            if let p = s.vlanProtocol, p != .dot1Q, vlan != 0 { return "\(vlan) (\(p.rawValue))" }
            return String(vlan)
        case .minTxRate, .maxTxRate:
            func rate(_ r: Int?) -> String { r.map { $0 == 0 ? "0" : "\($0)M" } ?? "-" }
            return rate(s.minTxRate) + "/" + rate(s.maxTxRate)
        default:
            return rawText(in: s) ?? "-"
        }
    }

    /// What `probe` sends to learn whether the driver takes this field, each with its name in
    /// the capability record: values a new VF does not have.
    public var probes: [(name: String, settings: VFSettings)] {
        switch self {
        case .mac: []
        case .spoofCheck: [("spoof-check", VFSettings(spoofCheck: false))]
        case .trust: [("trust", VFSettings(trust: true))]
        case .vlan: [("vlan", VFSettings(vlan: 5, qos: 0, vlanProtocol: .dot1Q))]
        case .qos: [("qos", VFSettings(vlan: 5, qos: 3, vlanProtocol: .dot1Q))]
        case .vlanProtocol: [("vlan-protocol-802.1ad", VFSettings(vlan: 5, qos: 0, vlanProtocol: .dot1ad))]
        case .linkState: [("link-state-disable", VFSettings(linkState: .disable)), ("link-state-enable", VFSettings(linkState: .enable))]
        case .maxTxRate: [("max-tx-rate", VFSettings(maxTxRate: 100))]
        case .minTxRate: [("min-tx-rate", VFSettings(minTxRate: 10))]
        case .rssQuery: [("rss-query", VFSettings(rssQuery: true))]
        }
    }
}

/// A setting's value, for JSON and other typed outputs.
public enum SettingValue: Hashable, Sendable {
    case text(String)
    case number(Int)
    case flag(Bool)
}

extension SettingValue {
    var text: String? { if case let .text(t) = self { t } else { nil } }
    var number: Int? { if case let .number(n) = self { n } else { nil } }
    var flag: Bool? { if case let .flag(b) = self { b } else { nil } }
}

/// Puts `value`, as `read` takes it, into `target` (nil unsets). False, and `target` unchanged,
/// for a value `read` does not take (another kind, a word that is no protocol).
private func assign<T>(_ value: SettingValue?, to target: inout T?, _ read: (SettingValue) -> T?) -> Bool {
    guard let value else {
        target = nil
        return true
    }
    guard let taken = read(value) else { return false }
    target = taken
    return true
}

extension VFSettings {
    /// Overwrites the fields that `change` sets.
    public mutating func merge(_ change: VFSettings) {
        for field in VFField.allCases where field.isSet(in: change) { field.copy(from: change, into: &self) }
    }
}
