/// `/run/qemu-server/pci-id-reservations`: which guest holds which passed-through function.
/// qemu-server writes a line per function when a guest starts (`ID VMID time:T` while it starts,
/// `ID VMID pid:P` once QEMU runs; `src/PVE/QemuServer/PCI.pm`, `reserve_pci_usage`); for a
/// mapping pool it is the only record of which member a running guest got.
public struct PCIReservation: Hashable, Sendable {
    public var pci: PCIAddress
    public var vmid: Int
    /// The QEMU process, once started; nil for a time-limited reservation (a guest starting).
    public var pid: Int?

    public init(pci: PCIAddress, vmid: Int, pid: Int?) {
        self.pci = pci
        self.vmid = vmid
        self.pid = pid
    }

    /// The file's lines Proxmox accepts (`^($PCIRE)\s(\d+)\s(time|pid)\:(\d+)$`); others are
    /// skipped, as Proxmox skips them. A later line for the same function wins.
    public static func parse(_ text: String) -> [PCIReservation] {
        var byPCI: [PCIAddress: PCIReservation] = [:]
        for line in text.split(separator: "\n", omittingEmptySubsequences: false).prefix(100_000) {
            let fields = line.split(separator: " ", omittingEmptySubsequences: false)
            guard fields.count == 3, HostPCIReference.isHostID(fields[0]), let pci = PCIAddress(String(fields[0])),
                fields[1].allSatisfy({ $0.isASCII && $0.isNumber }), let vmid = Int(fields[1]),
                let colon = fields[2].firstIndex(of: ":")
            else { continue }
            let kind = fields[2][..<colon], number = fields[2][fields[2].index(after: colon)...]
            guard kind == "pid" || kind == "time", !number.isEmpty, number.allSatisfy({ $0.isASCII && $0.isNumber }) else { continue }
            byPCI[pci] = PCIReservation(pci: pci, vmid: vmid, pid: kind == "pid" ? Int(number) : nil)
        }
        return byPCI.values.sorted { $0.pci < $1.pci }
    }
}
