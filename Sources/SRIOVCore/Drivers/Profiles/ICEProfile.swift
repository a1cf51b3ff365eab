extension DriverProfile {
    /// ice: Intel E810. Facts from drivers/net/ethernet/intel/ice/ice_sriov.c unless a source
    /// says otherwise.
    static var ice: DriverProfile {
        let file = "drivers/net/ethernet/intel/ice/ice_sriov.c"
        return DriverProfile(
            driver: "ice",
            rules: [
                .noRSSQuery("ice", "drivers/net/ethernet/intel/ice/ice_main.c", ops: "ice_netdev_ops"),
                SettingRule(
                    .vlanProtocol, .only(["802.1ad"]), .varies(errno: "EPROTONOSUPPORT"),
                    why: "ice accepts 802.1ad port VLANs only in double VLAN mode (DVM, set by the DDP package and firmware)",
                    instead: "use vlan-protocol = \"802.1Q\" unless the port runs in double VLAN mode",
                    source: KernelSource(file, "ice_set_vf_port_vlan (ice_is_dvm_ena)")),
            ],
            vfLimit: VFLimit(
                count: 256, errno: nil, why: "ice enables at most 256 VFs per PF, and fewer when the firmware offers fewer",
                source: KernelSource("drivers/net/ethernet/intel/ice/ice.h", "ICE_MAX_SRIOV_VFS")),
            untrusted: UntrustedLimits(
                macFilters: 18, vlanFilters: nil, promiscuousIgnored: true,
                note: "an untrusted VF gets 18 MAC filters, and its promiscuous requests are acknowledged and ignored",
                source: KernelSource("drivers/net/ethernet/intel/ice/ice_virtchnl.c", "ICE_MAX_MACADDR_PER_VF, ice_vc_cfg_promiscuous_mode_msg")),
            macChange: .resetsVF(KernelSource(file, "ice_set_vf_mac (ice_reset_vf)")),
            perVFCounters: Sourced(true, KernelSource(file, "ice_get_vf_stats")),
            privateFlags: [
                PrivateFlag(
                    "vf-true-promisc-support", "a trusted VF's promiscuous mode sees all traffic on the port",
                    source: KernelSource("drivers/net/ethernet/intel/ice/ice_ethtool.c", "ice_gstrings_priv_flags")),
                PrivateFlag(
                    "vf-vlan-pruning", "untagged and unknown-VLAN traffic is not sent to VFs with VLAN filters",
                    source: KernelSource("drivers/net/ethernet/intel/ice/ice_ethtool.c", "ice_gstrings_priv_flags")),
                PrivateFlag(
                    "mdd-auto-reset-vf", "a VF that trips malicious driver detection is reset instead of left stopped",
                    source: KernelSource("drivers/net/ethernet/intel/ice/ice_ethtool.c", "ice_gstrings_priv_flags")),
            ],
            vectorsRunOut: Sourced(
                "ice needs MSI-X vectors for every VF; the RDMA driver irdma takes many of them",
                KernelSource(file, "ice_set_per_vf_res (\"Only %d MSI-X interrupts available for SR-IOV\")")))
    }
}
