/// The VF settings sriovctl manages, each described once: its config key, its text, its value in
/// `status --json` (the raw value is the JSON key), the iproute2 words that set it, and how the
/// kernel groups it. The netlink attribute is in SRIOVHost (`VFField+Netlink`).
public enum VFField: String, CaseIterable, Hashable, Sendable {
    case mac, vlan, qos, vlanProtocol, spoofCheck, trust, linkState, minTxRate, maxTxRate

    /// The key in the config file.
    public var configKey: String {
        switch self {
        case .mac: "mac"
        case .vlan: "vlan"
        case .qos: "qos"
        case .vlanProtocol: "vlan-protocol"
        case .spoofCheck: "spoof-check"
        case .trust: "trust"
        case .linkState: "link-state"
        case .minTxRate: "min-tx-rate"
        case .maxTxRate: "max-tx-rate"
        }
    }

    /// The field's value in `settings`, as text; nil when not set or not reported.
    public func text(in settings: VFSettings) -> String? {
        guard let raw = rawText(in: settings) else { return nil }
        return self == .minTxRate || self == .maxTxRate ? "\(raw) Mbit/s" : raw
    }

    /// The field's value as the config writes it (`enable`, `802.1ad`, `on`, `120`); nil when unset.
    public func rawText(in s: VFSettings) -> String? {
        switch self {
        case .mac: s.mac?.description
        case .vlan: s.vlan.map(String.init)
        case .qos: s.qos.map(String.init)
        case .vlanProtocol: s.vlanProtocol?.rawValue
        case .spoofCheck: s.spoofCheck.map { $0 ? "on" : "off" }
        case .trust: s.trust.map { $0 ? "on" : "off" }
        case .linkState: s.linkState?.rawValue
        case .minTxRate: s.minTxRate.map(String.init)
        case .maxTxRate: s.maxTxRate.map(String.init)
        }
    }

    /// The field's value in `settings` for JSON; nil when not set or not reported.
    public func value(in settings: VFSettings) -> SettingValue? {
        switch self {
        case .mac: settings.mac.map { .text($0.description) }
        case .vlan: settings.vlan.map(SettingValue.number)
        case .qos: settings.qos.map(SettingValue.number)
        case .vlanProtocol: settings.vlanProtocol.map { .text($0.rawValue) }
        case .spoofCheck: settings.spoofCheck.map(SettingValue.flag)
        case .trust: settings.trust.map(SettingValue.flag)
        case .linkState: settings.linkState.map { .text($0.rawValue) }
        case .minTxRate: settings.minTxRate.map(SettingValue.number)
        case .maxTxRate: settings.maxTxRate.map(SettingValue.number)
        }
    }

    /// The words of `ip link set dev PF vf N ...` that set this field (a port VLAN's words come
    /// with `vlan`, with its QoS and protocol).
    public func ipLinkWords(in s: VFSettings) -> [String] {
        switch self {
        case .mac: s.mac.map { ["mac", $0.description] } ?? []
        case .vlan: s.vlan.map { ["vlan", "\($0)", "qos", "\(s.qos ?? 0)", "proto", (s.vlanProtocol ?? .dot1Q).rawValue] } ?? []
        case .qos, .vlanProtocol: []
        case .minTxRate: s.minTxRate.map { ["min_tx_rate", "\($0)"] } ?? []
        case .maxTxRate: s.maxTxRate.map { ["max_tx_rate", "\($0)"] } ?? []
        case .spoofCheck: s.spoofCheck.map { ["spoofchk", $0 ? "on" : "off"] } ?? []
        case .trust: s.trust.map { ["trust", $0 ? "on" : "off"] } ?? []
        case .linkState: s.linkState.map { ["state", $0.rawValue] } ?? []
        }
    }

    /// Whether the field is set (non-nil) in `settings`.
    public func isSet(in settings: VFSettings) -> Bool { text(in: settings) != nil }

    /// Copies this field from `source` into `target`.
    public func copy(from source: VFSettings, into target: inout VFSettings) {
        switch self {
        case .mac: target.mac = source.mac
        case .vlan: target.vlan = source.vlan
        case .qos: target.qos = source.qos
        case .vlanProtocol: target.vlanProtocol = source.vlanProtocol
        case .spoofCheck: target.spoofCheck = source.spoofCheck
        case .trust: target.trust = source.trust
        case .linkState: target.linkState = source.linkState
        case .minTxRate: target.minTxRate = source.minTxRate
        case .maxTxRate: target.maxTxRate = source.maxTxRate
        }
    }

    /// Fields the kernel sets in one call: a port VLAN is (id, QoS, protocol), a rate is (min, max).
    public var group: [VFField] {
        switch self {
        case .vlan, .qos, .vlanProtocol: [.vlan, .qos, .vlanProtocol]
        case .minTxRate, .maxTxRate: [.minTxRate, .maxTxRate]
        default: [self]
        }
    }
}

/// A setting's value, for JSON and other typed outputs.
public enum SettingValue: Hashable, Sendable {
    case text(String)
    case number(Int)
    case flag(Bool)
}

extension VFSettings {
    /// Overwrites the fields that `change` sets.
    public mutating func merge(_ change: VFSettings) {
        for field in VFField.allCases where field.isSet(in: change) { field.copy(from: change, into: &self) }
        if let v = change.rssQuery { rssQuery = v }
    }
}
