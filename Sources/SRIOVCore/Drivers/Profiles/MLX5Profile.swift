extension DriverProfile {
    /// mlx5_core: NVIDIA/Mellanox ConnectX-4 and later. Facts from
    /// drivers/net/ethernet/mellanox/mlx5/core/.
    static var mlx5: DriverProfile {
        let dir = "drivers/net/ethernet/mellanox/mlx5/core"
        return DriverProfile(
            driver: "mlx5_core",
            rules: [
                .noRSSQuery("mlx5_core", "drivers/net/ethernet/mellanox/mlx5/core/en_main.c", ops: "mlx5e_netdev_ops"),
                SettingRule(
                    .linkState, .anyButDefault, .varies(errno: "EOPNOTSUPP"),
                    why: "mlx5 sets a VF's link state only while the eswitch is in legacy mode (not switchdev)",
                    instead: "keep the eswitch in legacy mode (devlink dev eswitch show) or leave link-state out",
                    source: KernelSource("\(dir)/eswitch.c", "mlx5_eswitch_set_vport_state")),
                SettingRule(
                    .vlanProtocol, .only(["802.1ad"]), .refused(errno: "EPROTONOSUPPORT"),
                    why: "mlx5 tags port VLANs with 802.1Q only", instead: "use vlan-protocol = \"802.1Q\" (or leave it out)",
                    source: KernelSource("\(dir)/en_main.c", "mlx5e_set_vf_vlan")),
            ],
            vfLimit: nil,
            perVFCounters: Sourced(true, KernelSource("\(dir)/en_main.c", "mlx5e_get_vf_stats")))
    }
}
