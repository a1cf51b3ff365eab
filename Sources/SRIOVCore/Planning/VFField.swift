/// The VF settings sriovctl manages, with their config and display names.
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
        switch self {
        case .mac: settings.mac?.description
        case .vlan: settings.vlan.map(String.init)
        case .qos: settings.qos.map(String.init)
        case .vlanProtocol: settings.vlanProtocol?.rawValue
        case .spoofCheck: settings.spoofCheck.map { $0 ? "on" : "off" }
        case .trust: settings.trust.map { $0 ? "on" : "off" }
        case .linkState: settings.linkState?.rawValue
        case .minTxRate: settings.minTxRate.map { "\($0) Mbit/s" }
        case .maxTxRate: settings.maxTxRate.map { "\($0) Mbit/s" }
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
