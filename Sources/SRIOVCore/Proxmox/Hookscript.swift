/// The Proxmox VE guest hookscript: at pre-start it re-asserts the settings of the VFs the guest
/// gets, so a FreeBSD/pfSense guest always boots with its configured MAC, VLAN and trust, even
/// after something changed them behind sriovctl's back. With `sync-bridge-fdb`, it also puts the
/// guest's network-device MACs in the PF's forwarding table at pre-start and takes them out at post-stop.
public enum Hookscript {
    public static let fileName = "sriovctl-hook.sh"

    public static func text(binary: String, config: String) -> String {
        """
        #!/bin/sh
        # Proxmox VE guest hookscript, installed by `sriovctl hookscript install`.
        # Called as: HOOK VMID PHASE. At pre-start it re-asserts the MAC, VLAN, trust and spoof
        # check of the VFs \(config) gives to this VM; at pre-start and post-stop it keeps the
        # forwarding tables of PFs with sync-bridge-fdb in step with this VM's network devices.
        case "$2" in pre-start | post-stop) ;; *) exit 0 ;; esac
        exec \(binary) apply --guest "$1" --phase "$2" --config \(config)

        """
    }
}
