/// One network device of a Proxmox VE guest (`netN: virtio=MAC,bridge=vmbr0,...`): the MAC the
/// guest will send from and the bridge its tap joins. Read with qemu-server's `$net_fmt`
/// (`src/PVE/QemuServer/Network.pm`).
public struct GuestNIC: Hashable, Sendable {
    public var slot: Int
    public var mac: MACAddress
    public var bridge: String

    public init(slot: Int, mac: MACAddress, bridge: String) {
        self.slot = slot
        self.mac = mac
        self.bridge = bridge
    }

    /// Every model qemu-server knows (`$nic_model_list`).
    public static let models: [String] = [
        "e1000", "e1000-82540em", "e1000-82544gc", "e1000-82545em", "e1000e", "i82551", "i82557b", "i82559er",
        "ne2k_isa", "ne2k_pci", "pcnet", "rtl8139", "virtio", "vmxnet3",
    ]

    /// Proxmox's `$net_fmt`: the model is the default key and each model name is an alias of
    /// `macaddr` (`virtio=MAC`).
    public static let format: PropertyFormat = {
        var keys: [String: PropertyFormat.Key] = [
            "macaddr": .init(.string, pattern: { isUnicastMAC($0) }),
            "model": .init(.enumeration(Set(models)), optional: false, defaultKey: true),
            "bridge": .init(.string, pattern: { !$0.isEmpty && $0.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) } }),
            "queues": .init(.integer(0...64)),
            "rate": .init(.number),
            "tag": .init(.integer(1...4094)),
            "trunks": .init(.string, pattern: { isTrunks($0) }),
            "firewall": .init(.boolean),
            "link_down": .init(.boolean),
            "mtu": .init(.integer(1...65520)),
            "host-tunnel": .init(.boolean),
        ]
        for model in models { keys[model] = .init(.string, alias: "macaddr", keyAlias: "model") }
        return PropertyFormat(keys)
    }()

    /// `pve_verify_mac_addr`: `^[a-f0-9][02468ace](?::[a-f0-9]{2}){5}$`, any case (I/G bit clear).
    static func isUnicastMAC(_ text: Substring) -> Bool {
        let groups = text.split(separator: ":", omittingEmptySubsequences: false)
        guard groups.count == 6, groups.allSatisfy({ $0.count == 2 && $0.allSatisfy(\.isHexDigit) }) else { return false }
        return "02468aceACE".contains(groups[0].last!)
    }

    /// `\d+(?:-\d+)?(?:;\d+(?:-\d+)?)*`.
    static func isTrunks(_ text: Substring) -> Bool {
        text.split(separator: ";", omittingEmptySubsequences: false).allSatisfy { range in
            let ends = range.split(separator: "-", omittingEmptySubsequences: false)
            return (1...2).contains(ends.count) && ends.allSatisfy { !$0.isEmpty && $0.allSatisfy { $0.isASCII && $0.isNumber } }
        }
    }

    /// The net lines of the VM's current config (snapshot and pending sections ignored; values
    /// Proxmox refuses dropped). A device without a MAC or a bridge is skipped: it is not on a
    /// bridge sriovctl could keep in step.
    public static func parse(vmConfig text: String) -> [GuestNIC] {
        nics(in: GuestConfigFile.parse(text, vmid: 0).current)
    }

    static func nics(in keys: [String: String]) -> [GuestNIC] {
        (0..<32).compactMap { slot in
            guard let value = keys["net\(slot)"], case let .success(net) = format.parse(Substring(value)),
                let mac = net["macaddr"].flatMap(MACAddress.init), let bridge = net["bridge"], !mac.isMulticast, !mac.isZero
            else { return nil }
            return GuestNIC(slot: slot, mac: mac, bridge: bridge)
        }
    }
}
