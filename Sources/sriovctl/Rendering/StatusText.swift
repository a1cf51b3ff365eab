import SRIOVCore

/// `status` for people: one block per PF, one row per VF. "-" marks what is not reported.
enum StatusText {
    static let noDevices = """
        No SR-IOV capable devices found on this host.
        If the NIC supports SR-IOV, enable SR-IOV (and VT-d / AMD-Vi) in the BIOS or UEFI setup and in \
        the NIC's own firmware settings, then reboot. `sriovctl check` lists every prerequisite.
        """

    static func render(_ pfs: [PhysicalFunction]) -> String {
        pfs.map(block).joined(separator: "\n\n")
    }

    static func block(_ pf: PhysicalFunction) -> String {
        var facts = [pf.pci.description, pf.driver ?? "no driver"]
        if let up = pf.linkUp { facts.append(up ? "link up" : "link down") }
        if let mtu = pf.mtu { facts.append("mtu \(mtu)") }
        if let mac = pf.permanentMAC ?? pf.mac { facts.append("mac \(mac)") }
        facts.append("VFs \(pf.numVFs)/\(pf.totalVFs)")
        var text = "\(pf.name ?? "(no netdev)")  " + facts.joined(separator: "  ")
        guard !pf.vfs.isEmpty else { return text + "\n  no VFs" }
        var table = TextTable(header: ["VF", "PCI", "IOMMU", "DRIVER", "NETDEV", "MAC", "VLAN", "QOS", "SPOOF", "TRUST",
                                       "LINK", "TX MIN/MAX"])
        for vf in pf.vfs {
            let s = vf.settings
            var vlan = s.vlan.map(String.init) ?? "-"
            if let p = s.vlanProtocol, p != .dot1Q, s.vlan != 0 { vlan += " (\(p.rawValue))" }
            table.rows.append([
                String(vf.index), vf.pci.description, vf.iommuGroup.map(String.init) ?? "-", vf.driver ?? "-",
                vf.netdev ?? "-", s.mac.map { $0.isZero ? "\($0) (unset)" : $0.description } ?? "-", vlan,
                s.qos.map(String.init) ?? "-", onOff(s.spoofCheck), onOff(s.trust), s.linkState?.rawValue ?? "-",
                rate(s.minTxRate) + "/" + rate(s.maxTxRate),
            ])
        }
        text += "\n" + table.render(indent: "  ")
        return text
    }

    private static func onOff(_ value: Bool?) -> String {
        value.map { $0 ? "on" : "off" } ?? "-"
    }

    private static func rate(_ value: Int?) -> String {
        guard let value else { return "-" }
        return value == 0 ? "0" : "\(value)M"
    }
}
