/// What a VF is for, as one word that sets the keys that job needs (`role = "carp"`). Keys the
/// file writes itself win; the plan shows what the role expanded to.
public enum VFRole: String, Hashable, Sendable, CaseIterable {
    /// A CARP/VRRP firewall: it sends from a virtual MAC and needs extra MAC filters, so the VF
    /// is trusted and not spoof-checked.
    case carp
    /// A guest that tags its own VLANs: no port VLAN, trusted, not spoof-checked.
    case trunk
    /// One VLAN, set by the host: a port VLAN is required, the VF is untrusted and spoof-checked.
    case access

    /// The settings the role stands for.
    public var settings: VFSettings {
        switch self {
        case .carp: VFSettings(spoofCheck: false, trust: true)
        case .trunk: VFSettings(vlan: 0, spoofCheck: false, trust: true)
        case .access: VFSettings(spoofCheck: true, trust: false)
        }
    }

    /// Why the role needs what it sets, for the message when the file writes otherwise.
    func needs(_ field: VFField) -> String? {
        switch (self, field) {
        case (.carp, .spoofCheck), (.trunk, .spoofCheck):
            "the guest sends from MACs the host did not give it (CARP's virtual MAC, bridged guests), which spoof checking drops"
        case (.carp, .trust), (.trunk, .trust):
            "an untrusted VF may not add the MAC filters and promiscuous mode the guest asks for"
        case (.trunk, .vlan):
            "a port VLAN would wrap the guest's own VLAN tags in another"
        default: nil
        }
    }
}

extension VFConfig {
    /// These settings with the role's filled in where the file wrote none, and what it filled.
    public func expandingRole() -> (config: VFConfig, filled: [VFField]) {
        guard let role else { return (self, []) }
        var c = self
        let wanted = role.settings
        let filled = VFField.allCases.filter { $0.isSet(in: wanted) && !$0.isSet(in: settings) }
        for field in filled { field.copy(from: wanted, into: &c.settings) }
        return (c, filled)
    }
}
