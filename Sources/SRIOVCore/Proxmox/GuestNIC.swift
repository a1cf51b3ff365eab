/// One network device of a Proxmox VE guest (`netN: virtio=MAC,bridge=vmbr0,...`): the MAC the
/// guest will send from and the bridge its tap joins.
public struct GuestNIC: Hashable, Sendable {
    public var slot: Int
    public var mac: MACAddress
    public var bridge: String

    public init(slot: Int, mac: MACAddress, bridge: String) {
        self.slot = slot
        self.mac = mac
        self.bridge = bridge
    }

    static let models: Set<Substring> = [
        "virtio", "e1000", "e1000e", "rtl8139", "vmxnet3", "i82551", "i82557b", "i82559er", "ne2k_pci", "ne2k_isa", "pcnet",
    ]

    /// The net lines of the VM's current config (snapshot and pending sections ignored). A line
    /// without a MAC or a bridge is skipped: it is not on a bridge sriovctl could keep in step.
    public static func parse(vmConfig text: String) -> [GuestNIC] {
        var result: [GuestNIC] = []
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = rawLine.drop { $0 == " " || $0 == "\t" }
            if line.hasPrefix("[") { break }
            guard line.hasPrefix("net"), let colon = line.firstIndex(of: ":"),
                let slot = Int(line[line.index(line.startIndex, offsetBy: 3)..<colon]), (0...31).contains(slot)
            else { continue }
            var mac: MACAddress?
            var bridge: String?
            for option in line[line.index(after: colon)...].trimmingSpaces().split(separator: ",") {
                let parts = option.split(separator: "=", maxSplits: 1)
                guard parts.count == 2 else { continue }
                if parts[0] == "bridge" {
                    bridge = String(parts[1])
                } else if parts[0] == "macaddr" || models.contains(parts[0]) {
                    if let m = MACAddress(String(parts[1])) { mac = m }
                }
            }
            if let mac, let bridge, !mac.isMulticast, !mac.isZero { result.append(GuestNIC(slot: slot, mac: mac, bridge: bridge)) }
        }
        return result
    }
}
