import SRIOVCore

/// `status --json`, exactly the keys of SPEC.md in its order.
enum StatusJSON {
    static func render(_ pfs: [PhysicalFunction]) -> JSONValue {
        .object([("pfs", .array(pfs.map(pf)))])
    }

    static func pf(_ pf: PhysicalFunction) -> JSONValue {
        .object([
            ("name", .optional(pf.name, JSONValue.string)),
            ("pci", .string(pf.pci.description)),
            ("driver", .optional(pf.driver, JSONValue.string)),
            ("mac", .optional(pf.mac) { .string($0.description) }),
            ("permanentMac", .optional(pf.permanentMAC) { .string($0.description) }),
            ("linkUp", .optional(pf.linkUp, JSONValue.bool)),
            ("mtu", .optional(pf.mtu, JSONValue.int)),
            ("totalVfs", .int(pf.totalVFs)),
            ("numVfs", .int(pf.numVFs)),
            ("vfs", .array(pf.vfs.map(vf))),
        ])
    }

    static func vf(_ vf: VirtualFunction) -> JSONValue {
        let s = vf.settings
        return .object([
            ("index", .int(vf.index)),
            ("pci", .string(vf.pci.description)),
            ("iommuGroup", .optional(vf.iommuGroup, JSONValue.int)),
            ("driver", .optional(vf.driver, JSONValue.string)),
            ("netdev", .optional(vf.netdev, JSONValue.string)),
            ("mac", .optional(s.mac) { .string($0.description) }),
            ("vlan", .optional(s.vlan, JSONValue.int)),
            ("qos", .optional(s.qos, JSONValue.int)),
            ("vlanProtocol", .optional(s.vlanProtocol) { .string($0.rawValue) }),
            ("spoofCheck", .optional(s.spoofCheck, JSONValue.bool)),
            ("trust", .optional(s.trust, JSONValue.bool)),
            ("linkState", .optional(s.linkState) { .string($0.rawValue) }),
            ("minTxRate", .optional(s.minTxRate, JSONValue.int)),
            ("maxTxRate", .optional(s.maxTxRate, JSONValue.int)),
        ])
    }
}
