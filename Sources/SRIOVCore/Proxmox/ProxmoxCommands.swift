/// The argv of Proxmox VE's own tools for what sriovctl changes in guests and mappings. Built from
/// validated parts only: ids are numbers, addresses are parsed PCI addresses, mapping ids and
/// node names are checked words, so no value can add an option or a `key=value` item.
public enum ProxmoxCommands {
    /// `qm set VMID [--delete hostpciOLD] --hostpciN host=VF|mapping=ID[,pcie=1][,KEPT...]`:
    /// `kept` are the other options of the line being changed, as Proxmox accepted them.
    public static func assign(vm: Int, slot: Int, device: HostPCIDevice, pcie: Bool, oldSlot: Int?, kept: [String] = []) -> [String] {
        var argv = ["qm", "set", "\(vm)"]
        if let oldSlot { argv += ["--delete", "hostpci\(oldSlot)"] }
        return argv + ["--hostpci\(slot)", ([device.propertyValue] + (pcie ? ["pcie=1"] : []) + kept).joined(separator: ",")]
    }

    /// `qm set VMID --hookscript STORAGE:snippets/FILE`.
    public static func hookscript(vm: Int, volume: String) -> [String] {
        ["qm", "set", "\(vm)", "--hookscript", volume]
    }

    /// `pvesh create /cluster/mapping/pci --id ID --map ...` or `pvesh set /cluster/mapping/pci/ID --map ...`.
    public static func syncMapping(id: String, exists: Bool, maps: [String]) -> [String] {
        (exists ? ["pvesh", "set", "/cluster/mapping/pci/\(id)"] : ["pvesh", "create", "/cluster/mapping/pci", "--id", id])
            + maps.flatMap { ["--map", $0] }
    }

    /// A storage name or id sriovctl puts in an argv: a letter, then letters, digits, `-`, `_`, `.`.
    public static func isPlainName(_ name: String) -> Bool {
        guard let first = name.first, first.isASCII, first.isLetter, name.count <= 128 else { return false }
        return name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }
    }

    /// A mapping id as Proxmox accepts it (`pve-configid`, pve-common `$CONFIGID_RE`):
    /// `[a-z][a-z0-9_-]+`, any case, at least two characters.
    public static func isConfigID(_ id: String) -> Bool {
        guard id.count >= 2, id.count <= 128, let first = id.first, first.isASCII, first.isLetter else { return false }
        return id.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") }
    }

    /// A node name as Proxmox accepts it (`pve_verify_node_name`): letters, digits and inner `-`.
    public static func isNodeName(_ name: String) -> Bool {
        guard !name.isEmpty, name.count <= 63, name.first != "-", name.last != "-" else { return false }
        return name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
    }
}

/// What a hostpci line gives the guest: one VF by address, or a pool by mapping id.
public enum HostPCIDevice: Hashable, Sendable {
    case host(PCIAddress)
    case mapping(String)

    public var propertyValue: String {
        switch self {
        case let .host(pci): "host=\(pci)"
        case let .mapping(id): "mapping=\(id)"
        }
    }
}
