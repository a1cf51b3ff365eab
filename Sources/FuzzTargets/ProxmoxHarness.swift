import SRIOVCore

/// The bytes as a guest config (hostpci lines, network devices, hookscript) and as the cluster
/// mapping file; the references found are then resolved to owners through the mappings, as
/// `status` and the planner do, and as the reservations file.
enum ProxmoxHarness {
    static func run(_ bytes: [UInt8]) -> FuzzTarget.Reached {
        let text = String(decoding: bytes, as: UTF8.self)
        let guest = ProxmoxGuest(vmid: 100, running: false, config: text)
        let mappings = PCIMapping.parse(text)
        let devices = PCIDeviceList(
            ConfigHarness.snapshot.pfs.flatMap { pf in
                pf.vfs.map { PCIDeviceInfo(address: $0.pci, vendor: "8086", device: "1520", iommuGroup: $0.iommuGroup) }
            })
        let ownership = GuestOwnership.resolve(
            guests: [guest], mappings: mappings, node: "pve", devices: devices, reservations: PCIReservation.parse(text))
        return !ownership.owners.isEmpty || !guest.nics.isEmpty ? .used : guest.references.isEmpty && mappings.isEmpty ? .refused : .parsed
    }
}
