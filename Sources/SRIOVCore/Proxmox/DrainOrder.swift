/// Which running guests a plan disturbs and in what order to stop and start them: as Proxmox's
/// own start-up does, guests start by ascending `startup: order=` (those without an order last,
/// then by VMID) and stop in the reverse order.
public enum DrainOrder {
    /// The guests holding the VFs in `holders`: VMIDs from `VM N is running with it`, and a process
    /// holding a VFIO group that is a running guest's QEMU (its pid file); anything else holding a
    /// VF cannot be drained and is returned apart.
    public static func guests(holding holders: [VFHolder], among guests: [ProxmoxGuest]) -> (guests: [ProxmoxGuest], others: [VFHolder]) {
        var vmids: Set<Int> = []
        var others: [VFHolder] = []
        for holder in holders {
            let words = holder.holder.split(separator: " ")
            if words.count >= 2, words[0] == "VM", let vmid = Int(words[1]), guests.contains(where: { $0.vmid == vmid && $0.running }) {
                vmids.insert(vmid)
            } else if words.count >= 2, words[0] == "process", let pid = Int(words[1]),
                let guest = guests.first(where: { $0.running && $0.pid == pid })
            {
                vmids.insert(guest.vmid)  // the guest's own QEMU holding the VF's VFIO group
            } else {
                others.append(holder)
            }
        }
        return (startOrder(guests.filter { vmids.contains($0.vmid) }), others)
    }

    /// The order Proxmox starts guests in.
    public static func startOrder(_ guests: [ProxmoxGuest]) -> [ProxmoxGuest] {
        guests.sorted { a, b in
            (a.startup?.order ?? Int.max, a.vmid) < (b.startup?.order ?? Int.max, b.vmid)
        }
    }
}
