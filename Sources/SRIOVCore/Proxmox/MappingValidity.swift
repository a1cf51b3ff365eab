/// Whether Proxmox accepts a mapping entry for a guest's start, as pve-guest-common's
/// `PVE::Mapping::PCI::assert_valid` decides (`src/PVE/Mapping/PCI.pm`): each path must exist,
/// and `id`, `subsystem-id`, `iommugroup` (first path only) and the mapping's `mdev` flag must say
/// exactly what sysfs says, a key missing where the device has the property included.
public enum MappingValidity {
    /// Nil when Proxmox accepts the entry, else its message.
    public static func problem(mapping: PCIMapping, entry: PCIMapping.Entry, devices: PCIDeviceList) -> String? {
        for (index, written) in entry.paths.enumerated() {
            let path = written.contains(".") ? written : written + ".0"
            guard let address = PCIAddress(path), let info = devices.info(address) else { return "pci device '\(path)' not found" }
            let expected: [(String, String?)] = [
                ("id", info.vendorDevice), ("iommugroup", info.iommuGroup.map(String.init)), ("mdev", info.mdev ? "1" : "0"),
                ("subsystem-id", info.subsystemID),
            ]
            let configured: [String: String?] = [
                "id": entry.id, "iommugroup": entry.iommuGroup.map(String.init), "mdev": mapping.mdev ? "1" : "0",
                "subsystem-id": entry.subsystemID,
            ]
            for (property, want) in expected {
                if property == "iommugroup" && index > 0 { continue }
                let have = configured[property] ?? nil
                switch (want, have) {
                case (nil, nil): continue
                case (_?, nil): return "missing expected property '\(property)' for device '\(path)'"
                case (nil, _?): return "unexpected property '\(property)' configured for device '\(path)'"
                case let (want?, have?):
                    let w = withoutHexPrefixes(want), h = withoutHexPrefixes(have)
                    if w != h { return "'\(property)' does not match for '\(mapping.id)' (\(w) != \(h))" }
                }
            }
        }
        return nil
    }

    /// Perl's `s/0x//g`.
    static func withoutHexPrefixes(_ text: String) -> String {
        var out = ""
        var rest = Substring(text)
        while let range = rest.firstRange(of: "0x") {
            out += rest[..<range.lowerBound]
            rest = rest[range.upperBound...]
        }
        return out + rest
    }
}
