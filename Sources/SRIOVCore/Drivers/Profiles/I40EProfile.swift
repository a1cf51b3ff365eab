extension DriverProfile {
    /// i40e: Intel X710, XL710, XXV710, X722. Facts from
    /// drivers/net/ethernet/intel/i40e/i40e_virtchnl_pf.c unless a source says otherwise.
    static var i40e: DriverProfile {
        let file = "drivers/net/ethernet/intel/i40e/i40e_virtchnl_pf.c"
        return DriverProfile(
            driver: "i40e",
            rules: [
                .noRSSQuery("i40e", "drivers/net/ethernet/intel/i40e/i40e_main.c", ops: "i40e_netdev_ops"),
                SettingRule(
                    .minTxRate, .anyButDefault, .refused(errno: "EINVAL"),
                    why: "i40e has no minimum rate (\"Invalid min tx rate\")", instead: "leave min-tx-rate out",
                    source: KernelSource(file, "i40e_ndo_set_vf_bw (min_tx_rate)")),
                SettingRule(
                    .vlanProtocol, .only(["802.1ad"]), .refused(errno: "EPROTONOSUPPORT"),
                    why: "i40e tags port VLANs with 802.1Q only", instead: "use vlan-protocol = \"802.1Q\" (or leave it out)",
                    source: KernelSource(file, "i40e_ndo_set_vf_port_vlan")),
            ],
            rateSteps: RateSteps(
                step: 50, source: KernelSource("drivers/net/ethernet/intel/i40e/i40e_main.c", "i40e_set_bw_limit (I40E_BW_CREDIT_DIVISOR)")),
            vfLimit: VFLimit(
                count: 128, errno: "EPERM", why: "i40e enables at most 128 VFs per PF, and fewer when the firmware offers fewer",
                source: KernelSource(file, "i40e_pci_sriov_enable (I40E_MAX_VF_COUNT)")),
            untrusted: UntrustedLimits(
                macFilters: 18, vlanFilters: 16, promiscuousIgnored: true,
                note: "an untrusted VF gets 18 MAC filters and 16 VLANs, and its promiscuous requests are acknowledged and ignored",
                source: KernelSource(file, "I40E_VC_MAX_MAC_ADDR_PER_VF, I40E_VC_MAX_VLAN_PER_VF, i40e_vc_config_promiscuous_mode_msg")),
            macChange: .resetsVF(KernelSource(file, "i40e_ndo_set_vf_mac (the VF is reset)")),
            perVFCounters: Sourced(true, KernelSource(file, "i40e_get_vf_stats")),
            privateFlags: [
                PrivateFlag(
                    "vf-true-promisc-support", "a trusted VF's promiscuous mode sees all traffic on the port (PF 0 only)",
                    source: KernelSource("drivers/net/ethernet/intel/i40e/i40e_ethtool.c", "i40e_set_priv_flags")),
                PrivateFlag(
                    "disable-source-pruning", "frames with the VF's own source MAC are not dropped",
                    source: KernelSource("drivers/net/ethernet/intel/i40e/i40e_ethtool.c", "i40e_gstrings_priv_flags")),
                PrivateFlag(
                    "vf-vlan-pruning", "untagged and unknown-VLAN traffic is not sent to VFs with VLAN filters",
                    source: KernelSource("drivers/net/ethernet/intel/i40e/i40e_ethtool.c", "i40e_gstrings_priv_flags")),
            ])
    }
}
