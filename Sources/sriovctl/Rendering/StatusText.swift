import SRIOVCore

/// `status` for people: one block per PF, one row per VF. "-" marks what is not reported.
enum StatusText {
    static let noDevices = """
        No SR-IOV capable devices found on this host.
        If the NIC supports SR-IOV, enable SR-IOV (and VT-d / AMD-Vi) in the BIOS or UEFI setup and in \
        the NIC's own firmware settings, then reboot. `sriovctl check` lists every prerequisite.
        """

    static func render(_ pfs: [PhysicalFunction], ownership: GuestOwnership? = nil, forwarding: [String: Int] = [:]) -> String {
        var text = pfs.map { block($0, ownership, forwarding: forwarding) }.joined(separator: "\n\n")
        for conflict in ownership?.conflicts ?? [] { text += "\n! \(conflict.echoed(limit: 400))" }
        for line in ownership?.ignoredLines ?? [] { text += "\n? \(line.echoed(limit: 400))" }
        return text
    }

    static func block(_ pf: PhysicalFunction, _ ownership: GuestOwnership? = nil, forwarding: [String: Int] = [:]) -> String {
        // Names come from the kernel or a file: shown escaped, so none can move the cursor or add lines.
        var facts = [pf.pci.description, pf.driver?.echoed(limit: 32) ?? "no driver"]
        if let up = pf.linkUp { facts.append(up ? "link up" : "link down") }
        if let mtu = pf.mtu { facts.append("mtu \(mtu)") }
        if let mac = pf.permanentMAC ?? pf.mac { facts.append("mac \(mac)") }
        facts.append("VFs \(pf.numVFs)/\(pf.totalVFs)")
        if let synced = pf.name.flatMap({ forwarding[$0] }), synced > 0 { facts.append("bridge fdb \(synced) synced") }
        var text = "\(pf.name?.echoed(limit: 32) ?? "(no netdev)")  " + facts.joined(separator: "  ")
        guard !pf.vfs.isEmpty else { return text + "\n  no VFs" }
        var table = TextTable(
            header: [
                "VF", "PCI", "IOMMU", "DRIVER", "NETDEV",
            ] + VFField.allCases.compactMap(\.statusColumn) + (ownership == nil ? [] : ["VM"]))
        for vf in pf.vfs {
            table.rows.append(
                [
                    String(vf.index), vf.pci.description, vf.iommuGroup.map(String.init) ?? "-", vf.driver?.echoed(limit: 32) ?? "-",
                    vf.netdev?.echoed(limit: 32) ?? "-",
                ] + VFField.allCases.filter { $0.statusColumn != nil }.map { $0.statusCell(in: vf.settings) }
                    + (ownership.map { [vm($0, vf.pci)] } ?? []))
        }
        text += "\n" + table.render(indent: "  ")
        return text
    }

    /// The guest holding the VF (`100 (running)`), a stopped one it is given to, a template's
    /// (`100 (template)`), or for a free pool member the guests that may get it (`pool fw: 100,101`).
    private static func vm(_ ownership: GuestOwnership, _ pci: PCIAddress) -> String {
        guard let owner = ownership.owner(of: pci) else {
            guard let pool = ownership.poolCandidates(of: pci) else { return "-" }
            return "pool \(pool.pool): \(pool.vmids.map(String.init).joined(separator: ","))"
        }
        let state = owner.running ? " (running)" : owner.template ? " (template)" : ""
        return "\(owner.vmid)\(state)\(owner.mdev ? " mdev" : "")\(owner.pool.map { " pool \($0)" } ?? "")"
    }
}
