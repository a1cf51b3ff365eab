/// A `hostpciN:` line of a Proxmox VM config (/etc/pve/qemu-server/VMID.conf).
public struct HostPCIReference: Hashable, Sendable {
    /// N in hostpciN.
    public var slot: Int
    /// The `host=` addresses (`;`-separated in the file): full (`0000:01:10.0`), short (`01:10.0`)
    /// or a whole device without a function (`01:10`, all its functions).
    public var hosts: [String]
    /// A cluster resource mapping name (`mapping=`), resolved through mapping/pci.cfg.
    public var mapping: String?
    /// `pcie=1`: a PCIe port (q35 machines).
    public var pcie: Bool = false

    /// Whether this reference names the device at `pci`.
    public func names(_ pci: PCIAddress) -> Bool {
        hosts.contains { host in
            if let address = PCIAddress(host) { return address == pci }
            // bus:slot, or domain:bus:slot: every function of the device.
            let full = host.split(separator: ":").count == 2 ? "0000:\(host)" : host
            return full.lowercased() == String(pci.description.dropLast(2))
        }
    }

    /// The hostpci lines of the VM's current config. Snapshot sections (`[name]`) are not the
    /// running config and are ignored, as is `[PENDING]` (applied at the next start).
    public static func parse(vmConfig text: String) -> [HostPCIReference] {
        var result: [HostPCIReference] = []
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = rawLine.drop { $0 == " " || $0 == "\t" }
            if line.hasPrefix("[") { break }
            guard line.hasPrefix("hostpci"), let colon = line.firstIndex(of: ":"),
                let slot = Int(line[line.index(line.startIndex, offsetBy: 7)..<colon])
            else { continue }
            let value = line[line.index(after: colon)...].trimmingSpaces()
            var hosts: [String] = []
            var mapping: String?
            var pcie = false
            for (i, option) in value.split(separator: ",").enumerated() {
                let parts = option.split(separator: "=", maxSplits: 1)
                if parts.count == 2 {
                    switch parts[0] {
                    case "host": hosts = parts[1].split(separator: ";").map(String.init)
                    case "mapping": mapping = String(parts[1])
                    case "pcie": pcie = parts[1] == "1"
                    default: break
                    }
                } else if i == 0 {
                    hosts = option.split(separator: ";").map(String.init)  // the default key is host
                }
            }
            result.append(HostPCIReference(slot: slot, hosts: hosts, mapping: mapping, pcie: pcie))
        }
        return result
    }
}
