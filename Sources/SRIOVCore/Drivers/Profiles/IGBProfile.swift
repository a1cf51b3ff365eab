extension DriverProfile {
    /// igb: Intel 82576 and I350 (and I354). Facts from drivers/net/ethernet/intel/igb/igb_main.c.
    /// The VF device id tells the two apart (82576 VFs are 8086:10ca or 8086:152d).
    static func igb(vfDevice: String?) -> DriverProfile {
        let file = "drivers/net/ethernet/intel/igb/igb_main.c"
        let is82576 = vfDevice.map { ["8086:10ca", "8086:152d"].contains($0.lowercased()) }
        var rules: [SettingRule] = [
            .noRSSQuery("igb", file, ops: "igb_netdev_ops"),
            SettingRule(
                .linkState, .anyButDefault, .refused(errno: "EOPNOTSUPP"),
                why: "igb has no VF link-state control (its igb_netdev_ops has no ndo_set_vf_link_state)",
                instead: "leave link-state out (VFs follow the PF's link)",
                source: KernelSource(file, "igb_netdev_ops (no .ndo_set_vf_link_state)")),
            SettingRule(
                .vlanProtocol, .only(["802.1ad"]), .refused(errno: "EPROTONOSUPPORT"),
                why: "igb tags port VLANs with 802.1Q only",
                instead: "use vlan-protocol = \"802.1Q\" (or leave it out)",
                source: KernelSource(file, "igb_ndo_set_vf_vlan")),
        ]
        switch is82576 {
        case true?:
            rules.append(
                SettingRule(
                    .minTxRate, .anyButDefault, .refused(errno: "EINVAL"),
                    why: "igb has no minimum rate", instead: "leave min-tx-rate out",
                    source: KernelSource(file, "igb_ndo_set_vf_bw (min_tx_rate)")))
            rules.append(
                SettingRule(
                    .maxTxRate, .anyButDefault, .varies(errno: "EINVAL"),
                    why: "the 82576 limits a VF's rate only while the PF's link is up, and to at most its link speed",
                    instead: "keep the PF's link up (sriovctl brings it up) and the rate under the link speed",
                    source: KernelSource(file, "igb_ndo_set_vf_bw (E1000_STATUS_LU, igb_link_mbps)")))
        case false?:
            for field in [VFField.minTxRate, .maxTxRate] {
                rules.append(
                    SettingRule(
                        field, .anyButDefault, .refused(errno: "EOPNOTSUPP"),
                        why: "igb limits VF rates only on the 82576; this is an I350-class port",
                        instead: "leave \(field.configKey) out and shape the traffic in the guest or on the switch",
                        source: KernelSource(file, "igb_ndo_set_vf_bw (hw->mac.type != e1000_82576)")))
            }
        case nil:
            for field in [VFField.minTxRate, .maxTxRate] {
                rules.append(
                    SettingRule(
                        field, .anyButDefault, field == .minTxRate ? .refused(errno: "EINVAL") : .varies(errno: "EOPNOTSUPP"),
                        why: field == .minTxRate
                            ? "igb has no minimum rate" : "igb limits VF rates only on the 82576 (EOPNOTSUPP on the I350)",
                        instead: "leave \(field.configKey) out unless the port is an 82576",
                        source: KernelSource(file, "igb_ndo_set_vf_bw")))
            }
        }
        return DriverProfile(
            driver: "igb", variant: is82576.map { $0 ? "82576" : "i350" }, rules: rules,
            vfLimit: VFLimit(
                count: 7, errno: "EPERM", why: "igb enables at most 7 VFs per port, whatever sriov_totalvfs says",
                source: KernelSource(file, "igb_enable_sriov (num_vfs > 7)")),
            untrusted: UntrustedLimits(
                macFilters: nil, vlanFilters: nil, promiscuousIgnored: false,
                note:
                    "an untrusted VF whose MAC sriovctl set may add no MAC filter (CARP's virtual MAC is refused); spare filters are shared by all VFs",
                source: KernelSource(file, "igb_set_vf_mac_filter (IGB_VF_FLAG_PF_SET_MAC && !trusted), igb_available_rars")),
            macChange: .needsReprobe(KernelSource(file, "igb_ndo_set_vf_mac (\"Reload the VF driver\")")),
            perVFCounters: Sourced(false, KernelSource(file, "igb_netdev_ops (no .ndo_get_vf_stats)")))
    }
}
