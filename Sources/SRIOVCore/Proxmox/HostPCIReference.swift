/// A `hostpciN:` line of a Proxmox VM config (/etc/pve/qemu-server/VMID.conf), read with
/// qemu-server's `pve-qm-hostpci` format (`src/PVE/QemuServer/PCI.pm`, `$hostpci_fmt`).
public struct HostPCIReference: Hashable, Sendable {
    /// N in hostpciN.
    public var slot: Int
    /// The `host=` addresses (`;`-separated in the file): full (`0000:01:10.0`), short (`01:10.0`)
    /// or a whole device without a function (`01:10`, all its functions).
    public var hosts: [String]
    /// A cluster resource mapping name (`mapping=`), resolved through mapping/pci.cfg.
    public var mapping: String?
    /// `pcie=1` (or `on`, `yes`, `true`): a PCIe port (q35 machines).
    public var pcie: Bool = false
    /// `mdev=TYPE`: a mediated device is created from the function; the function itself is not
    /// passed through.
    public var mdev: String?
    /// The line's parts as written, in order (`host`, `pcie`, `rombar`, `x-vga`, ...), so an
    /// edit changes one option and keeps the others.
    public var parts: [PropertyValues.Part] = []

    public init(slot: Int, hosts: [String], mapping: String? = nil, pcie: Bool = false, mdev: String? = nil, parts: [PropertyValues.Part] = []) {
        self.slot = slot
        self.hosts = hosts
        self.mapping = mapping
        self.pcie = pcie
        self.mdev = mdev
        self.parts = parts
    }

    /// Whether this reference names the device at `pci`, as Proxmox's `lspci` filter matches:
    /// the full address, or the address without its `0000:` domain, starts with the name.
    public func names(_ pci: PCIAddress) -> Bool {
        hosts.contains { Self.filter($0, matches: pci) }
    }

    static func filter(_ name: String, matches pci: PCIAddress) -> Bool {
        let id = pci.description
        return id.hasPrefix(name) || (id.hasPrefix("0000:") && id.dropFirst(5).hasPrefix(name))
    }

    /// Proxmox's `$hostpci_fmt`.
    public static let format = PropertyFormat([
        "host": .init(.string, defaultKey: true, pattern: { isHostList($0) }),
        "mapping": .init(.string, pattern: { ProxmoxCommands.isConfigID(String($0)) }),
        "rombar": .init(.boolean),
        "romfile": .init(.string, pattern: { !$0.isEmpty && !$0.contains(";") }),
        "pcie": .init(.boolean),
        "x-vga": .init(.boolean),
        "legacy-igd": .init(.boolean),
        "mdev": .init(.string, pattern: { !$0.isEmpty && !$0.contains(where: { "/.:".contains($0) }) }),
        "vendor-id": .init(.string, pattern: isHexID), "device-id": .init(.string, pattern: isHexID),
        "sub-vendor-id": .init(.string, pattern: isHexID), "sub-device-id": .init(.string, pattern: isHexID),
        "driver": .init(.enumeration(["vfio", "keep"])),
    ])

    @Sendable static func isHexID(_ text: Substring) -> Bool {
        text.count == 6 && text.hasPrefix("0x") && text.dropFirst(2).allSatisfy(\.isHexDigit)
    }

    /// `$PCIRE(;$PCIRE)*` with `$PCIRE = (?:[a-f0-9]{4,}:)?[a-f0-9]{2}:[a-f0-9]{2}(?:\.[a-f0-9])?`:
    /// lower-case hex only (Proxmox refuses `06:10.0` written `06:1A.0`).
    @Sendable static func isHostList(_ text: Substring) -> Bool {
        text.split(separator: ";", omittingEmptySubsequences: false).allSatisfy(isHostID)
    }

    static func isHostID(_ text: Substring) -> Bool {
        func hex(_ s: Substring, _ count: Int? = nil) -> Bool {
            (count.map { s.count == $0 } ?? (s.count >= 4)) && s.allSatisfy { $0.isHexDigit && !$0.isUppercase }
        }
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2 || parts.count == 3 else { return false }
        if parts.count == 3, !hex(parts[0]) { return false }
        let bus = parts[parts.count - 2]
        let slotFunction = parts[parts.count - 1].split(separator: ".", omittingEmptySubsequences: false)
        guard hex(bus, 2), slotFunction.count <= 2, hex(slotFunction[0], 2) else { return false }
        return slotFunction.count == 1 || hex(slotFunction[1], 1)
    }

    /// A reference from a `hostpciN` value Proxmox accepts (see `GuestConfigFile`).
    public init?(slot: Int, value: String) {
        guard case let .success(values) = Self.format.parse(Substring(value)) else { return nil }
        self.init(
            slot: slot, hosts: values["host"].map { $0.split(separator: ";").map(String.init) } ?? [],
            mapping: values["mapping"], pcie: values.bool("pcie") ?? false, mdev: values["mdev"], parts: values.parts)
    }

    /// The hostpci lines of the VM's current config, as Proxmox keeps them (snapshot sections and
    /// `[PENDING]` are not the running config; refused values are dropped).
    public static func parse(vmConfig text: String) -> [HostPCIReference] {
        references(in: GuestConfigFile.parse(text, vmid: 0).current)
    }

    static func references(in keys: [String: String]) -> [HostPCIReference] {
        (0..<16).compactMap { slot in keys["hostpci\(slot)"].flatMap { HostPCIReference(slot: slot, value: $0) } }
    }

    /// This line with `pcie` set to `value` and every other option kept as written: `pcie=1`
    /// added, replaced or removed.
    public func value(settingPCIe value: Bool) -> String {
        var kept = parts.filter { $0.key != "pcie" }.map(\.text)
        if value { kept.append("pcie=1") }
        return kept.joined(separator: ",")
    }
}
