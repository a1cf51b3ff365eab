/// Where a Proxmox VE guest is in its life when its hookscript runs `apply --guest`.
public enum GuestPhase: String, CaseIterable, Hashable, Sendable {
    /// Before QEMU starts: its VFs are set up, and its network devices' MACs are put in the
    /// forwarding tables of PFs that sync them, before its first frame.
    case preStart = "pre-start"
    /// After it stopped: its MACs leave those tables.
    case postStop = "post-stop"
}
