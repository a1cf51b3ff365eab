import SRIOVCore

/// `status --json`, exactly the keys of docs/reference.md in their order.
enum StatusJSON {
    /// With Proxmox ownership, each VF also has `vm`, `vmRunning`, `vmTemplate`, `pool` and
    /// `poolCandidates` (null when no guest names it, or on a host that is not Proxmox), and the
    /// top level lists `conflicts`, `refusals` (guests Proxmox would not start, with its reason)
    /// and `ignoredLines`.
    static func render(_ pfs: [PhysicalFunction], ownership: GuestOwnership? = nil, forwarding: [String: Int] = [:]) -> JSONValue {
        var top: [(String, JSONValue)] = [("pfs", .array(pfs.map { pf($0, ownership, forwarding: forwarding) }))]
        if let ownership {
            top.append(("conflicts", .array(ownership.conflicts.map(JSONValue.string))))
            top.append(
                (
                    "refusals",
                    .array(
                        ownership.refusals.sorted { $0.key < $1.key }.map {
                            .object([("vm", .int($0.key)), ("error", .string($0.value))])
                        })
                ))
            top.append(("ignoredLines", .array(ownership.ignoredLines.map(JSONValue.string))))
        }
        return .object(top)
    }

    static func pf(_ pf: PhysicalFunction, _ ownership: GuestOwnership? = nil, forwarding: [String: Int] = [:]) -> JSONValue {
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
            ("bridgeFdbEntries", .int(pf.name.flatMap { forwarding[$0] } ?? 0)),
            ("vfs", .array(pf.vfs.map { vf($0, ownership) })),
        ])
    }

    static func vf(_ vf: VirtualFunction, _ ownership: GuestOwnership? = nil) -> JSONValue {
        let s = vf.settings
        let owner = ownership?.owner(of: vf.pci)
        return .object(
            [
                ("index", .int(vf.index)),
                ("pci", .string(vf.pci.description)),
                ("iommuGroup", .optional(vf.iommuGroup, JSONValue.int)),
                ("driver", .optional(vf.driver, JSONValue.string)),
                ("netdev", .optional(vf.netdev, JSONValue.string)),
            ] + VFField.allCases.map { ($0.rawValue, JSONValue.optional($0.value(in: s), JSONValue.init)) } + [
                ("vm", .optional(owner?.vmid, JSONValue.int)),
                ("vmRunning", .optional(owner?.running, JSONValue.bool)),
                ("vmTemplate", .optional(owner?.template, JSONValue.bool)),
                ("pool", .optional(owner?.pool ?? ownership?.poolCandidates(of: vf.pci)?.pool, JSONValue.string)),
                ("poolCandidates", .optional(ownership?.poolCandidates(of: vf.pci)?.vmids.map(JSONValue.int), JSONValue.array)),
            ])
    }
}
