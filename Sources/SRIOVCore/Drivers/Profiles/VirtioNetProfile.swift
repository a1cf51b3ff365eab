extension DriverProfile {
    /// virtio_net: a virtio NIC whose device offers SR-IOV (some SmartNICs and DPUs). The driver
    /// has no VF operations at all, so every VF setting through the PF is refused.
    static var virtioNet: DriverProfile {
        let source = KernelSource("drivers/net/virtio_net.c", "virtnet_netdev (no .ndo_set_vf_*; rtnetlink do_setvfinfo answers EOPNOTSUPP)")
        let rules = VFField.allCases.filter { $0 != .vlan && $0 != .rssQuery }.map { field in
            SettingRule(
                field, .anyButDefault, .refused(errno: "EOPNOTSUPP"),
                why: "virtio_net has no VF operations: VF settings are made by the device's own management",
                instead: field == .mac
                    ? "write mac = \"keep\" (set the MAC where the device is managed)"
                    : "leave \(field.configKey) out (set it where the device is managed)", source: source)
        }
        return DriverProfile(
            driver: "virtio_net",
            rules: rules
                + [
                    SettingRule(
                        .vlan, .anyButDefault, .refused(errno: "EOPNOTSUPP"),
                        why: "virtio_net has no VF operations: VF settings are made by the device's own management",
                        instead: "leave vlan out", source: source),
                    .noRSSQuery("virtio_net", "drivers/net/virtio_net.c", ops: "virtnet_netdev"),
                ],
            perVFCounters: Sourced(false, source))
    }
}
