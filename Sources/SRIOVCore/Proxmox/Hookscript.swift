/// The Proxmox VE guest hookscript: at pre-start it re-asserts the settings of the VFs the guest
/// gets, so a FreeBSD/pfSense guest always boots with its configured MAC, VLAN and trust, even
/// after something changed them behind sriovctl's back.
public enum Hookscript {
    public static let fileName = "sriovctl-hook.sh"

    /// With `bridgeFDB`, the guest's VF MACs are also put in the PF's forwarding table, so
    /// guests on a Linux bridge over the PF can reach this guest (off by default).
    public static func text(binary: String, config: String, bridgeFDB: Bool = false) -> String {
        """
        #!/bin/sh
        # Proxmox VE guest hookscript, installed by `sriovctl hookscript install`.
        # Called as: HOOK VMID PHASE. At pre-start it re-asserts the MAC, VLAN, trust and spoof
        # check of the VFs \(config) gives to this VM; other phases do nothing.
        [ "$2" = pre-start ] || exit 0
        exec \(binary) apply --guest "$1"\(bridgeFDB ? " --bridge-fdb" : "") --config \(config)

        """
    }
}
