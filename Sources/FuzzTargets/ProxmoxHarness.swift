import SRIOVCore

/// The bytes as a guest config (hostpci lines, network devices, hookscript) and as the cluster
/// mapping file; the references found are then resolved to owners through the mappings, as
/// `status` and the planner do.
enum ProxmoxHarness {
    static func run(_ bytes: [UInt8]) -> FuzzTarget.Reached {
        let text = String(decoding: bytes, as: UTF8.self)
        let guest = ProxmoxGuest(vmid: 100, running: false, config: text)
        let mappings = PCIMapping.parse(text)
        let ownership = GuestOwnership.resolve(
            guests: [guest], mappings: mappings, node: "pve", snapshot: ConfigHarness.snapshot, deviceExists: { _ in true })
        return !ownership.owners.isEmpty || !guest.nics.isEmpty ? .used : guest.references.isEmpty && mappings.isEmpty ? .refused : .parsed
    }
}
