extension DriverProfile {
    /// bnxt_en: Broadcom NetXtreme-C/E. Facts from drivers/net/ethernet/broadcom/bnxt/bnxt_sriov.c.
    static var bnxt: DriverProfile {
        let file = "drivers/net/ethernet/broadcom/bnxt/bnxt_sriov.c"
        return DriverProfile(
            driver: "bnxt_en",
            rules: [
                .noRSSQuery("bnxt_en", "drivers/net/ethernet/broadcom/bnxt/bnxt.c", ops: "bnxt_netdev_ops"),
                SettingRule(
                    .qos, .anyButDefault, .varies(errno: "EINVAL"),
                    why: "bnxt_en refuses a port VLAN's QoS priority unless the kernel and firmware are new enough (BNXT_FW_CAP_DFLT_VLAN_TPID_PCP)",
                    instead: "leave qos out, or check after apply that the priority took",
                    source: KernelSource(file, "bnxt_set_vf_vlan (qos)")),
                SettingRule(
                    .vlanProtocol, .only(["802.1ad"]), .varies(errno: "EPROTONOSUPPORT"),
                    why: "bnxt_en accepts 802.1ad port VLANs only with new firmware (BNXT_FW_CAP_DFLT_VLAN_TPID_PCP)",
                    instead: "use vlan-protocol = \"802.1Q\" unless the firmware has that capability",
                    source: KernelSource(file, "bnxt_set_vf_vlan (vlan_proto)")),
            ],
            perVFCounters: Sourced(false, KernelSource(file, "bnxt_get_vf_config (no ndo_get_vf_stats in bnxt_netdev_ops)")),
            vfsNeedLinkUp: KernelSource(file, "bnxt_sriov_configure (\"Reject SRIOV config request since if is down\", returns 0)"),
            mayEnableFewer: KernelSource(file, "bnxt_sriov_configure / bnxt_cfg_hw_sriov (enables what the firmware grants)"))
    }
}
