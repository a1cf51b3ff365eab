extension DriverProfile {
    /// The profile for a PF driver, by the name the kernel binds (`igb`), with the VF device id
    /// where facts differ within a driver. A driver sriovctl does not know gets the cautious
    /// profile: nothing refused in advance, every setting tried and verified.
    public static func of(driver: String?, vfDevice: String? = nil) -> DriverProfile {
        switch driver {
        case "igb": igb(vfDevice: vfDevice)
        case "ixgbe": ixgbe
        case "i40e": i40e
        case "ice": ice
        case "mlx5_core": mlx5
        case "bnxt_en": bnxt
        case "virtio_net", "virtio-pci", "virtio_pci": virtioNet
        default: DriverProfile(driver: driver ?? "unknown", known: false)
        }
    }

    public static func of(_ pf: PhysicalFunction) -> DriverProfile { of(driver: pf.driver, vfDevice: pf.vfDeviceID) }

    /// Every driver sriovctl has facts for, for documentation and tests.
    public static var known: [DriverProfile] {
        [igb(vfDevice: "8086:1520"), igb(vfDevice: "8086:10ca"), ixgbe, i40e, ice, mlx5, bnxt, virtioNet]
    }
}
