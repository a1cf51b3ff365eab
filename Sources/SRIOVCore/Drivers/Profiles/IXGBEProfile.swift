extension DriverProfile {
    /// ixgbe: Intel 82599, X520, X540, X550. Facts from
    /// drivers/net/ethernet/intel/ixgbe/ixgbe_sriov.c.
    static var ixgbe: DriverProfile {
        let file = "drivers/net/ethernet/intel/ixgbe/ixgbe_sriov.c"
        return DriverProfile(
            driver: "ixgbe",
            rules: [
                SettingRule(
                    .rssQuery, .any, .varies(errno: "EOPNOTSUPP"),
                    why: "ixgbe lets the host allow a VF to query the RSS key and table it shares with the PF only on the 82599 and X540",
                    instead: "on an X550 or later leave rss-query out",
                    source: KernelSource(file, "ixgbe_ndo_set_vf_rss_query_en (mac.type < 82599EB or >= X550)")),
                SettingRule(
                    .linkState, .only(["enable"]), .ignored,
                    why: "ixgbe accepts link-state enable and only logs that it is not supported",
                    instead: "use link-state = \"auto\" or \"disable\"",
                    source: KernelSource(file, "ixgbe_ndo_set_vf_link_state (IFLA_VF_LINK_STATE_ENABLE)")),
                SettingRule(
                    .minTxRate, .anyButDefault, .refused(errno: "EINVAL"),
                    why: "ixgbe has no minimum rate", instead: "leave min-tx-rate out",
                    source: KernelSource(file, "ixgbe_ndo_set_vf_bw (min_tx_rate)")),
                SettingRule(
                    .maxTxRate, .between(1...10), .refused(errno: "EINVAL"),
                    why: "ixgbe limits rates only above 10 Mbit/s", instead: "use max-tx-rate of 11 or more, or 0 for no limit",
                    source: KernelSource(file, "ixgbe_ndo_set_vf_bw (max_tx_rate <= 10)")),
                SettingRule(
                    .maxTxRate, .between(11...Int.max), .varies(errno: "EINVAL"),
                    why: "ixgbe limits VF rates only while the link runs at 10 Gb/s, and to at most the link speed",
                    instead: "check the PF's link speed (ethtool) before relying on the limit",
                    source: KernelSource(file, "ixgbe_ndo_set_vf_bw (link_speed != 10000)")),
                SettingRule(
                    .vlanProtocol, .only(["802.1ad"]), .refused(errno: "EPROTONOSUPPORT"),
                    why: "ixgbe tags port VLANs with 802.1Q only", instead: "use vlan-protocol = \"802.1Q\" (or leave it out)",
                    source: KernelSource(file, "ixgbe_ndo_set_vf_vlan")),
            ],
            vfLimit: VFLimit(
                count: 63, errno: "EPERM",
                why: "ixgbe enables at most 63 VFs with one traffic class (31 with 4, 15 with 8)",
                source: KernelSource(file, "ixgbe_pci_sriov_enable (IXGBE_MAX_VFS_1TC/4TC/8TC)")),
            macChange: .needsReprobe(KernelSource(file, "ixgbe_ndo_set_vf_mac (\"Reload the VF driver\")")),
            // Per-VF counters: ixgbe_main.c has ixgbe_ndo_get_vf_stats only in recent kernels;
            // older ones send zeros. Not a fact either way: `top` says "may not keep them" until they move.
            perVFCounters: nil)
    }
}
